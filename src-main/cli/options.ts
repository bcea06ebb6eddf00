import { InvalidArgumentError } from 'commander'

/** Parses a TCP port for commander, with the message a person needs. */
export function parsePort (value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port; use a number from 0 to 65535 (0 picks any free port).`)
  }
  return Number(value)
}
