// The engine's JS derivation of token_key/data_key against the `keys` Marine service it stands in for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keysCheckedAgainstService, keysFromService } from '../../src-main/marine/index.js'
import { loadMarineService } from '../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { builtService } from '../helpers/services.js'
import { seededRandom, TEST_SEED } from '../helpers/seeded.js'

describe('keysCheckedAgainstService', () => {
  let service: MarineServiceHandle
  beforeAll(async () => { service = await loadMarineService(builtService('keys'), 'keys') })
  afterAll(() => { service.terminate() })

  it(`agrees with the service on 1,000 random inputs, ASCII case and non-ASCII letters included (seed ${TEST_SEED})`, () => {
    const random = seededRandom()
    const native = keysCheckedAgainstService(service)
    const marine = keysFromService(service)
    const alphabet = [...'abcdefABCDEF0123456789xX-_ éÄ日🌍']
    const pick = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
    for (let i = 0; i < 1000; i++) {
      const [chain, address, id] = [pick(i % 5), pick(i % 47), pick(i % 29)]
      expect(native.tokenKey(chain, address)).toBe(marine.tokenKey(chain, address))
      expect(native.dataKey(chain, address, id)).toBe(marine.dataKey(chain, address, id))
    }
    expect(native.dataKey('1', '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D', '42')).toBe('4VuyqLsVCmbvy9KtpE8kzrq5jydmYzrYLocR8twbEEXG')
  })

  it('refuses to stand in for a service that derives differently, naming the function and input', () => {
    // A different module under the same interface: the `keys` answers with one character changed.
    const other: MarineServiceHandle = {
      serviceId: 'keys',
      call: (fn, args) => fn === 'data_key' ? `${String(service.call(fn, args)).slice(0, -1)}x` : service.call(fn, args),
      terminate: () => {},
    }
    expect(() => keysCheckedAgainstService(other)).toThrow(expect.objectContaining({
      name: 'KeysServiceMismatchError',
      fn: 'data_key',
      message: expect.stringContaining('give different data_key for ["1","0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D","42"]'),
    }))
  })
})
