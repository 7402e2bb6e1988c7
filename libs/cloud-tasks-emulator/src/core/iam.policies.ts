import { randomBytes } from 'node:crypto';
import { Messages, aborted } from './rpc.error.js';

/** `google.iam.v1.Policy` as proto-loader hands it over. */
export interface PolicyPb {
  version?: number;
  bindings?: { role?: string; members?: string[]; condition?: unknown }[];
  auditConfigs?: unknown[];
  etag?: Buffer | Uint8Array;
}

/** The etag of a policy that was never set (what Google's IAM answers for it). */
const EMPTY_POLICY_ETAG = Buffer.from('ACAB', 'base64');

/**
 * Queue IAM policies as the service keeps them for a caller with access: GetIamPolicy of a queue never set answers
 * the empty policy; SetIamPolicy stores the policy with a new etag and refuses a stale etag (ABORTED), so
 * read-modify-write code runs as in production. Nothing is enforced: every caller may do everything.
 */
export class IamPolicies {
  private readonly policies = new Map<string, PolicyPb>();

  /** `onChange` hears every policy SetIamPolicy stores (persistence). */
  constructor(private readonly onChange?: (resource: string, policy: PolicyPb) => void) {}

  get(resource: string): PolicyPb {
    return this.policies.get(resource) ?? { version: 0, bindings: [], etag: EMPTY_POLICY_ETAG };
  }

  set(resource: string, policy: PolicyPb | undefined): PolicyPb {
    const current = this.get(resource);
    const sent = policy?.etag && policy.etag.length > 0 ? Buffer.from(policy.etag) : undefined;
    if (sent && !sent.equals(Buffer.from(current.etag!))) throw aborted(Messages.concurrentPolicyChange);
    const stored: PolicyPb = {
      version: policy?.version || 1,
      bindings: policy?.bindings ?? [],
      auditConfigs: policy?.auditConfigs ?? [],
      etag: randomBytes(8),
    };
    this.policies.set(resource, stored);
    this.onChange?.(resource, stored);
    return stored;
  }

  /** Puts back a policy kept across a restart. */
  restore(resource: string, policy: PolicyPb): void {
    this.policies.set(resource, policy);
  }

  entries(): [string, PolicyPb][] {
    return [...this.policies];
  }

  delete(resource: string): void {
    this.policies.delete(resource);
  }

  clear(): void {
    this.policies.clear();
  }
}
