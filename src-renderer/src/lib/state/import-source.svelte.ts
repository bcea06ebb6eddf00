import { filesBridge, removeUpload, uploadFiles } from '../client/files.js'
import type { UploadProgress } from '../client/files.js'
import type { UiClient } from '../client/index.js'
import { fileKind, folderFiles, sizeWords } from '../rules/import-source.js'
import type { SourceKind } from '../rules/import-source.js'

/** How often a finished import is looked for, to delete the upload it read. */
const RELEASE_POLL_MS = 2000

/** The source chosen: a path on the node's computer, and the upload that holds it in browser mode. */
export interface ChosenSource {
  kind: SourceKind
  path: string
  /** What the creator sees: the folder or file name (and, uploaded, how much). */
  label: string
  uploadId?: string
}

/**
 * What the next import reads, however it was chosen: the system picker or a drop (desktop app: a
 * path), an upload of a picked or dropped folder or file (browser mode), or a typed path. Shared
 * by the Import form and the window's drop handler, so a folder dropped anywhere lands here.
 */
export class ImportSource {
  chosen = $state<ChosenSource | null>(null)
  progress = $state<UploadProgress | null>(null)
  problem = $state<string | null>(null)
  /** Said once about a choice: what was left out. */
  note = $state<string | null>(null)
  private controller: AbortController | null = null

  constructor (private readonly client: UiClient) {}

  get uploading (): boolean { return this.progress !== null }

  /** Desktop app: the system picker. */
  async pick (kind: SourceKind): Promise<void> {
    const path = await filesBridge()?.choose(kind)
    if (path !== null && path !== undefined) await this.usePath(kind, path)
  }

  async usePath (kind: SourceKind, path: string): Promise<void> {
    await this.clear()
    this.chosen = { kind, path, label: path }
  }

  /**
   * Browser mode: the files of a picked folder (or of a dropped one: its `name`, and how many
   * subfolders it had, which a drop cannot count the files of without reading them all).
   */
  async uploadFolder (files: readonly File[], dropped?: { name: string, subfolders: number }): Promise<void> {
    const picked = folderFiles(files)
    const folder = dropped?.name ?? picked.folder
    const kept = picked.files
    const nested = picked.nested
    if (kept.length === 0) {
      this.problem = 'That folder holds no files to import directly inside it (an import reads one folder, not its subfolders).'
      return
    }
    const left = dropped === undefined ? (nested === 0 ? null : `${nested.toLocaleString('en-US')} ${nested === 1 ? 'file' : 'files'} in subfolders`) : (dropped.subfolders === 0 ? null : `${dropped.subfolders} ${dropped.subfolders === 1 ? 'subfolder' : 'subfolders'}`)
    await this.upload('folder', kept, folder === '' ? 'the dropped folder' : folder, left === null ? null : `${left} left out: an import reads one folder, not its subfolders.`)
  }

  /** Browser mode: one CSV or CAR file. */
  async uploadFile (file: File): Promise<void> {
    const kind = fileKind(file.name)
    if (kind === null) {
      this.problem = `${file.name} is neither a .csv nor a .car file. Choose a folder of <tokenId>.json files, a CSV file or a CAR backup.`
      return
    }
    await this.upload(kind, [file], file.name, null)
  }

  private async upload (kind: SourceKind, files: readonly File[], name: string, note: string | null): Promise<void> {
    await this.clear()
    const controller = new AbortController()
    this.controller = controller
    this.progress = { files: 0, totalFiles: files.length, bytes: 0, totalBytes: files.reduce((sum, f) => sum + f.size, 0) }
    try {
      // A folder keeps its name on the node (an import's history shows it); a single file keeps its own.
      const uploaded = await uploadFiles(files, progress => { this.progress = progress }, controller.signal, kind === 'folder' && name !== 'the dropped folder' ? name : undefined)
      const size = sizeWords(files.length, this.progress.totalBytes)
      this.chosen = { kind, path: kind === 'folder' ? uploaded.path : `${uploaded.path}/${files[0]?.name.normalize('NFC') ?? ''}`, label: `${name} (${size}, sent to the node)`, uploadId: uploaded.id }
      this.note = note
    } catch (err) {
      this.problem = (err as Error).name === 'AbortError' ? 'Upload cancelled; nothing was kept.' : (err as Error).message
    } finally {
      this.progress = null
      this.controller = null
    }
  }

  /**
   * The chosen source is being read by import `job`: it is used up (the form offers a new choice),
   * and an uploaded one is deleted on the node once that import ends, wherever the creator is
   * then (this outlives the Import screen; the node also empties uploads at each start).
   */
  consume (job: string): void {
    const id = this.chosen?.uploadId
    this.chosen = null
    this.note = null
    if (id === undefined) return
    void (async () => {
      for (;;) {
        await new Promise(resolve => setTimeout(resolve, RELEASE_POLL_MS))
        try {
          if (!(await this.client.call('import_status', job)).running) break
        } catch {
          // The node is away: try again (a restart empties uploads anyway).
        }
      }
      await removeUpload(id)
    })()
  }

  cancel (): void {
    this.controller?.abort()
  }

  /** Forgets the choice; an upload's files are deleted on the node. */
  async clear (): Promise<void> {
    this.cancel()
    const id = this.chosen?.uploadId
    this.chosen = null
    this.problem = null
    this.note = null
    if (id !== undefined) await removeUpload(id)
  }
}
