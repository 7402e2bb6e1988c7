/** Thrown when a step result is set twice, or read before the step ran: a bug in the pipeline, never user input. */
export class DeliveryStateError extends Error {
  override readonly name = 'DeliveryStateError';
}
