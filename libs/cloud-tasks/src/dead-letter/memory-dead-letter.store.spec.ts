import { describeDeadLetterStoreContract } from '../testing/contracts/dead-letter-store.contract.js';
import { MemoryDeadLetterStore } from './memory-dead-letter.store.js';

describeDeadLetterStoreContract('MemoryDeadLetterStore', () => ({
  newStore: () => new MemoryDeadLetterStore(),
}));
