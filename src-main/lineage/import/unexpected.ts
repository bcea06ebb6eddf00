/**
 * The reason given for an item when something nobody planned for went wrong with it (a bug, a
 * stack overflow, a failing disk sector): the error's class and the stage, never its message,
 * which may quote the item's bytes. The message goes to the node's log, made safe to show.
 */
export function unexpectedReason (err: unknown, stage: string): string {
  const name = (err as { name?: unknown } | undefined)?.name
  const shown = typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'error'
  return `an unexpected ${shown} while ${stage}; the node's log has the details`
}
