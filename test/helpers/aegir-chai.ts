/**
 * Stands in for `aegir/chai`, which `interface-blockstore-tests` imports (vitest.config.ts maps
 * the name here), so the official suite runs without installing aegir: chai with
 * chai-as-promised, plus the call-style terminals (`.to.be.true()`) aegir's chai accepts.
 */
import * as chai from 'chai'
// @ts-expect-error chai-as-promised 8 ships no type declarations
import chaiAsPromisedPlugin from 'chai-as-promised'

const chaiAsPromised = chaiAsPromisedPlugin as Chai.ChaiPlugin

/**
 * aegir's chai lets property assertions be called (`expect(x).to.be.false()`), and the suite
 * relies on it. Each property still asserts when read; calling it afterwards does nothing more.
 */
const callableTerminals: Chai.ChaiPlugin = ({ Assertion }, utils) => {
  for (const name of ['ok', 'true', 'false']) {
    const read = Object.getOwnPropertyDescriptor(Assertion.prototype, name)?.get
    if (read === undefined) throw new Error(`chai has no "${name}" property assertion to make callable`)
    utils.addChainableMethod(Assertion.prototype, name, () => {}, function (this: object) { read.call(this) })
  }
}

chai.use(chaiAsPromised)
chai.use(callableTerminals)

export const expect = chai.expect
