import net from 'node:net'
import { InvalidArgumentError } from 'commander'

/** Parses a TCP port for commander, with the message a person needs. */
export function parsePort (value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port; use a number from 0 to 65535 (0 picks any free port).`)
  }
  return Number(value)
}

/** Parses an IPv4 or IPv6 address to listen on. Names are refused: a listener needs an address. */
export function parseHost (value: string): string {
  if (net.isIP(value) === 0) throw new InvalidArgumentError(`"${value}" is not an IP address; use e.g. 0.0.0.0 (every interface) or 127.0.0.1 (this machine only).`)
  return value
}

/** Parses a rate of reads a second (fractions allowed, 0 for no limit). */
export function parseRate (value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a rate; use a number of reads a second, e.g. 20 (0: no limit).`)
  return Number(value)
}

/** Parses a burst size: a whole number of reads, at least 1. */
export function parseBurst (value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`"${value}" is not a burst; use a whole number of reads, at least 1.`)
  return Number(value)
}

/** Parses a number of relay slots: a whole number, at least 1. */
export function parseReservations (value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`"${value}" is not a number of relay slots; use a whole number, at least 1.`)
  return Number(value)
}
