import type { ImageSources } from '../rules/image-source.js'

/** The desktop bridge's block reader: the page loads nothing over http there. */
export interface BlockReader { get(path: string): Promise<Uint8Array | null> }

/**
 * One image's loading: this node's blocks first (in the desktop app through the bridge, as a blob:
 * URL; in a browser from the node's own /ipfs path), then the allowed gateway, if any.
 */
export class NodeImageLoader {
  src = $state<string | null>(null)
  state = $state<'loading' | 'shown' | 'missing' | 'elsewhere' | 'none'>('loading')
  private tried: Array<'local' | 'remote'> = []
  private blobUrl: string | null = null
  private stopped = false

  constructor (private readonly sources: ImageSources, private readonly base: string, private readonly blocks: BlockReader | undefined) {}

  /** Starts loading; the answer stops it (and frees a blob: URL). */
  start (): () => void {
    if (this.sources.kind !== 'ipfs') this.state = this.sources.kind
    else this.next()
    return () => {
      this.stopped = true
      if (this.blobUrl !== null) URL.revokeObjectURL(this.blobUrl)
    }
  }

  /** The shown source failed (the <img> said so): try the next one. */
  failed (): void {
    this.next()
  }

  loadedOk (): void {
    this.state = 'shown'
  }

  private next (): void {
    const { local, remote } = this.sources
    if (local !== null && !this.tried.includes('local')) {
      this.tried.push('local')
      if (this.blocks === undefined) {
        this.src = `${this.base}${local}`
        return
      }
      this.blocks.get(local).then(bytes => {
        if (this.stopped) return
        if (bytes === null) {
          this.next()
          return
        }
        this.blobUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]))
        this.src = this.blobUrl
      }, () => { if (!this.stopped) this.next() })
      return
    }
    if (remote !== null && !this.tried.includes('remote')) {
      this.tried.push('remote')
      this.src = remote
      return
    }
    this.src = null
    this.state = 'missing'
  }
}
