/** Where an import is, for a progress line: what it is doing and how many units it has done. */
export interface ImportProgress {
  file: string;
  stage: 'reading' | 'matching' | 'writing' | 'done';
  done: number;
  /** What `done` counts: rows, releases, activities. */
  unit: string;
}

export type ProgressListener = (progress: ImportProgress) => void;
