import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Database } from '../../services/shared/database';
import { AppError } from '../../services/shared/errors';
import { slugify } from '../../services/shared/curation';
import { ImportFileError, inputName, type ImportInput } from '../shared/decode';
import { mapActivity, type IatiActivity, type Rejection } from './map';
import { parseIatiFile } from './parse';
import { newFileState, planBatchQueries, writeBatch } from './repository';
import { HAS_MERGED_ORGANIZATIONS } from '../shared/organizations';
import { trackImport } from '../../services/shared/import-activity';
import type { ImportCounts } from '../../services/shared/subgraph';

export interface FileReport extends ImportCounts {
  file: string;
  status: 'imported' | 'failed';
  error?: string;
}

export interface ImportReport {
  files: FileReport[];
  rejections: Rejection[];
  totals: Omit<FileReport, 'file' | 'status' | 'error'> & { files: number; failedFiles: number };
  seconds: number;
  activitiesPerSecond: number;
  /** Of `seconds`, how long writing waited for Neo4j to finish planning the batch queries (long on a fresh server). */
  planningSeconds: number;
}

export interface ImportOptions {
  batchSize?: number;
  /**
   * Batches written at once (default 2). While Neo4j commits one batch it executes the next, and Node parses the
   * one after; on 2 cores this took steady-state throughput from ~1,300 to ~2,200 activities/s (bench/RESULTS.md).
   * Writers share organizations, so Neo4j may pick one as a deadlock victim: that batch is written again at once.
   */
  writers?: number;
  /** Called after every batch with the activities done so far in this run. */
  onProgress?: (progress: { file: string; activities: number }) => void;
}

/**
 * A database that goes away mid-file stops the import: said so with what was written, and that a re-run completes the
 * file (written activities are recognised by their content hash and left unchanged).
 */
function interrupted(error: unknown, file: string, written: number): unknown {
  if (!(error instanceof AppError) || error.code !== 'DATABASE_UNAVAILABLE') return error;
  return new AppError(
    'DATABASE_UNAVAILABLE',
    `The import of ${file} stopped after ${written} activities were written: ${error.message} ` +
      'Run the same import again once Neo4j answers: what was written is left unchanged and the rest is added.',
    { ...error.extensions, file, written },
  );
}

/** Expands folders to the .xml files inside them (recursively), in a stable order; documents in memory stay as they are. */
export function expandPaths(paths: ImportInput[]): ImportInput[] {
  return paths.flatMap((p) => {
    if (typeof p !== 'string') return [p];
    const full = resolve(p);
    if (!statSync(full).isDirectory()) return [full];
    return expandPaths(
      readdirSync(full)
        .sort()
        .map((name) => join(full, name))
        .filter((f) => statSync(f).isDirectory() || f.toLowerCase().endsWith('.xml')),
    );
  });
}

/**
 * Imports IATI activity files (paths, folders, or documents in memory such as an upload). Each file is first read whole without writing (not XML, not IATI, truncated,
 * hostile: the file fails with its reason and nothing from it is written); then streamed again and written in
 * batches. Bad activities or elements inside a good file are rejected one by one, with file, line and reason.
 */
export async function importIati(db: Database, paths: ImportInput[], options: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 500;
  const writers = Math.max(1, options.writers ?? 2);
  const files: FileReport[] = [];
  const rejections: Rejection[] = [];
  let done = 0;
  // Planned on the server while Node checks the first file.
  let planningSeconds = 0;
  const planned = planBatchQueries(db);
  for (const input of expandPaths(paths)) {
    const path = inputName(input);
    const report: FileReport = {
      file: path,
      status: 'imported',
      activities: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      transactions: 0,
      organizationsCreated: 0,
      deadlockRetries: 0,
    };
    files.push(report);
    try {
      await parseIatiFile(input);
    } catch (error) {
      report.status = 'failed';
      report.error = error instanceof ImportFileError ? error.message : `${path}: ${(error as Error).message}`;
      continue;
    }
    const waitStarted = Date.now();
    await planned;
    planningSeconds += (Date.now() - waitStarted) / 1000;
    const source = newFileState(`src-iati-${slugify(basename(path))}`, path, basename(path));
    source.mergedOrganizations = (await db.readRows<{ merged: boolean }>(HAS_MERGED_ORGANIZATIONS))[0]?.merged ?? true;
    const tracked = trackImport('iati', path, 'activities');
    let writtenInFile = 0;
    const seen = new Set<string>();
    let batch: IatiActivity[] = [];
    const fileRejections: Rejection[] = [];
    // Up to `writers` batches are written while the next is parsed; the first failure stops the file.
    const writing = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const flush = async () => {
      if (batch.length === 0) return;
      const activities = batch;
      batch = [];
      while (writing.size >= writers) await Promise.race(writing);
      if (failure) throw failure.error;
      const write: Promise<void> = writeBatch(db, source, activities)
        .then(
          (counts) => {
            report.created += counts.created;
            report.updated += counts.updated;
            report.unchanged += counts.unchanged;
            report.transactions += counts.transactions;
            report.organizationsCreated += counts.organizationsCreated;
            report.deadlockRetries += counts.deadlockRetries;
            done += activities.length;
            writtenInFile += activities.length;
            tracked.update('writing', writtenInFile);
            options.onProgress?.({ file: path, activities: done });
          },
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => writing.delete(write));
      writing.add(write);
    };
    try {
      await parseIatiFile(input, async (element) => {
        report.activities++;
        const activity = mapActivity(element, path, fileRejections);
        if (!activity) return;
        if (seen.has(activity.identifier)) {
          fileRejections.push({
            file: path,
            line: activity.line,
            identifier: activity.identifier,
            reason: 'duplicate iati-identifier in this file (the first one was imported)',
          });
          return;
        }
        seen.add(activity.identifier);
        batch.push(activity);
        if (batch.length >= batchSize) await flush();
      });
      await flush();
    } catch (error) {
      throw interrupted(error, path, writtenInFile);
    } finally {
      // Never return (or throw) with a write still running: the caller may close the connection next.
      await Promise.all(writing);
      tracked.end();
    }
    if (failure) throw interrupted(failure.error, path, writtenInFile);
    report.rejected = fileRejections.length;
    rejections.push(...fileRejections);
  }
  const seconds = (Date.now() - started) / 1000;
  const sum = (key: keyof FileReport) => files.reduce((total, f) => total + (f[key] as number), 0);
  return {
    files,
    rejections,
    seconds,
    planningSeconds,
    activitiesPerSecond: seconds > 0 ? done / seconds : 0,
    totals: {
      files: files.length,
      failedFiles: files.filter((f) => f.status === 'failed').length,
      activities: sum('activities'),
      created: sum('created'),
      updated: sum('updated'),
      unchanged: sum('unchanged'),
      rejected: sum('rejected'),
      transactions: sum('transactions'),
      organizationsCreated: sum('organizationsCreated'),
      deadlockRetries: sum('deadlockRetries'),
    },
  };
}
