/** Why a delivery of another transport (BullMQ, inline) could not be handed to a processor: no handler for its job in this app. */
export class NoHandlerError extends Error {
  override readonly name = 'NoHandlerError';
}
