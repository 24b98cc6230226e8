import { useEffect, useRef, useState } from 'preact/hooks';
import { DropZone } from '../components/drop-zone.tsx';
import { ShareCreated } from '../components/share-created.tsx';
import { ShareForm } from '../components/share-form.tsx';
import { UploadList, type UploadItem } from '../components/upload-list.tsx';
import { messageOf } from '../lib/api.ts';
import { useSession } from '../lib/session.ts';
import type { CreatedShare } from '../lib/types.ts';
import { uploadFile } from '../lib/upload.ts';

const PARALLEL_UPLOADS = 3;
let nextKey = 0;

/** Upload files (each with its own progress bar), then share them. */
export function NewSharePage() {
  const { user } = useSession();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [created, setCreated] = useState<CreatedShare | null>(null);
  const files = useRef(new Map<string, File>());
  const queue = useRef<string[]>([]);
  const running = useRef(0);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const patch = (key: string, change: Partial<UploadItem>) => {
    if (alive.current) setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));
  };

  const pump = () => {
    while (running.current < PARALLEL_UPLOADS && queue.current.length > 0) {
      const key = queue.current.shift()!;
      const file = files.current.get(key);
      if (!file) continue;
      running.current += 1;
      uploadFile(file, (loaded) => patch(key, { loaded }))
        .then((done) => patch(key, { status: 'ready', loaded: file.size, fileId: done.fileId }))
        .catch((e: unknown) => patch(key, { status: 'failed', error: messageOf(e) }))
        .finally(() => {
          running.current -= 1;
          pump();
        });
    }
  };

  const addFiles = (incoming: File[]) => {
    const added = incoming.map((file): UploadItem => {
      const key = `u${++nextKey}`;
      files.current.set(key, file);
      queue.current.push(key);
      return { key, name: file.name, size: file.size, loaded: 0, status: 'uploading' };
    });
    setCreated(null);
    setItems((all) => [...all, ...added]);
    pump();
  };

  const retry = (key: string) => {
    patch(key, { status: 'uploading', loaded: 0, error: undefined });
    queue.current.push(key);
    pump();
  };

  const remove = (key: string) => {
    files.current.delete(key);
    setItems((all) => all.filter((item) => item.key !== key));
  };

  const startOver = () => {
    files.current.clear();
    setItems([]);
    setCreated(null);
  };

  const readyIds = items.filter((i) => i.status === 'ready' && i.fileId).map((i) => i.fileId!);
  const pending = items.filter((i) => i.status === 'uploading').length;

  return (
    <main id="main" class="page" data-testid="new-share-page">
      <h1>New share</h1>
      {created ? (
        <ShareCreated share={created} onAnother={startOver} />
      ) : (
        <div class="new-share-grid">
          <section class="card" aria-labelledby="files-heading">
            <h2 id="files-heading">Files</h2>
            <DropZone onFiles={addFiles} />
            <UploadList items={items} onRemove={remove} onRetry={retry} />
          </section>
          <ShareForm fileIds={readyIds} pending={pending} currentUser={user?.username} onCreated={setCreated} />
        </div>
      )}
    </main>
  );
}
