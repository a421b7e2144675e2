/**
 * Warnings the library raises (W&B prints them): an unknown reference scheme, a deduplicated log…
 * The CLI prints them to stderr, the extension to its output channel; the default is Node's
 * process warning.
 */
export type WarningHandler = (message: string) => void;

let handler: WarningHandler = (message) => process.emitWarning(message, { code: 'ARTIFACTS' });

export function setWarningHandler(next: WarningHandler): WarningHandler {
  const previous = handler;
  handler = next;
  return previous;
}

export function warn(message: string): void {
  handler(message);
}
