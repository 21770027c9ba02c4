import { useRef, useState, type DragEvent } from 'react';
import type { ScanDeskApi } from '../../../shared/contract';

/**
 * Files and folders dropped anywhere on the window. In Electron the preload turns each File
 * into its path; a browser gives no paths, so `onPaths` is told which were missing and the UI
 * asks for a typed path instead.
 */
export function useDrop(api: ScanDeskApi, onPaths: (paths: string[], missing: boolean) => void) {
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
        const paths: string[] = [];
        let missing = false;
        for (const file of Array.from(e.dataTransfer.files)) {
          const p = api.getPathForFile(file);
          if (p) paths.push(p);
          else missing = true;
        }
        onPaths(paths, missing);
      },
    },
  };
}
