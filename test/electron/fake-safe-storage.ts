/**
 * A stand-in for Electron's `safeStorage` at the Electron API boundary (its runtime cannot start
 * here). It really encrypts, with AES-256-GCM under a key only it holds, so a test can check that
 * what reaches the disk is ciphertext, and it can "rotate" or "lose" its key like an OS keychain.
 */
import crypto from 'node:crypto'
import type { SafeStorageApi, SafeStorageSyncApi } from '../../src-main/electron/index.js'

export class FakeSafeStorage implements SafeStorageApi, SafeStorageSyncApi {
  available = true
  backend: ReturnType<SafeStorageApi['getSelectedStorageBackend']> = 'gnome_libsecret'
  rotated = false
  private key = crypto.randomBytes(32)

  async isAsyncEncryptionAvailable (): Promise<boolean> { return this.available }
  getSelectedStorageBackend (): ReturnType<SafeStorageApi['getSelectedStorageBackend']> { return this.backend }

  async encryptStringAsync (plainText: string): Promise<Buffer> {
    if (!this.available) throw new Error('Encryption is not available.')
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body])
  }

  async decryptStringAsync (encrypted: Buffer): Promise<{ shouldReEncrypt: boolean, result: string }> {
    const iv = encrypted.subarray(3, 15)
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv)
    decipher.setAuthTag(encrypted.subarray(15, 31))
    const result = Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8')
    return { shouldReEncrypt: this.rotated, result }
  }

  isEncryptionAvailable (): boolean { return this.available }

  encryptString (plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.')
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body])
  }

  decryptString (encrypted: Buffer): string {
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(3, 15))
    decipher.setAuthTag(encrypted.subarray(15, 31))
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8')
  }

  /** The OS keychain was reset: nothing stored before can be decrypted any more. */
  loseKey (): void { this.key = crypto.randomBytes(32) }
}
