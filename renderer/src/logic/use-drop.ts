import { useRef, useState, type DragEvent } from 'react';
import type { ScanDeskApi } from '../../../shared/contract';
import { droppedEntries } from './dropped-files';

/**
 * Files and folders dropped anywhere on the window. In Electron the preload turns each File
 * into its path; a browser gives no paths, so the dropped entries themselves are handed on
 * (the new-batch dialog sends them to the host, see use-uploads).
 */
export function useDrop(api: ScanDeskApi, onDrop: (drop: { paths: string[]; entries: Array<FileSystemEntry | File> }) => void) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  return {
    over,
    handlers: {
      onDragEnter: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      },
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = Array.from(e.dataTransfer.files);
        const paths = files.map((f) => api.getPathForFile(f)).filter((p): p is string => !!p);
        // Electron: every file has its path. A browser: none has, send the files themselves.
        onDrop(paths.length === files.length ? { paths, entries: [] } : { paths, entries: droppedEntries(e.dataTransfer) });
      },
    },
  };
}
