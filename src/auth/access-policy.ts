import type { Role } from '../config/api-keys-config';
import { AppError, ErrorCode } from '../errors/app-error';
import { canSeeDataset, hasRole, type Principal } from './principal';

/**
 * The rules every entry point applies the same way (GraphQL root fields, the HTTP upload route).
 * A dataset outside the caller's scopes does not exist for it: reads answer exactly as for an
 * unknown dataset; uploads are refused by name, which reveals nothing about existence.
 */
export function requireRole(principal: Principal, role: Role, action: string): void {
  if (!hasRole(principal, role))
    throw new AppError(ErrorCode.FORBIDDEN, `${action} needs the ${role} role`, {
      details: { role, caller: principal.id },
    });
}

/** The error of an unknown dataset, word for word as the KPI service raises it. */
export function datasetNotFound(name: string): AppError {
  return new AppError(ErrorCode.DATASET_NOT_FOUND, `No dataset named ${name}`, {
    details: { dataset: name },
  });
}

/** The error of an unknown upload id, word for word as the ingest service raises it. */
export function uploadNotFound(id: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `No upload ${id}`, { details: { id } });
}

export function assertDatasetVisible(principal: Principal, dataset: string): void {
  if (!canSeeDataset(principal, dataset)) throw datasetNotFound(dataset);
}

export interface UploadIntent {
  readonly dataset: string;
  /** REPLACE mode: an upload that corrects an earlier one (admin only). */
  readonly replaces?: string | null;
}

/** Creating an upload: the uploader role, the dataset in scope, admin for REPLACE mode. */
export function assertMayUpload(principal: Principal, intent: UploadIntent): void {
  requireRole(principal, 'uploader', 'Uploading');
  if (!canSeeDataset(principal, intent.dataset))
    throw new AppError(ErrorCode.FORBIDDEN, `This caller may not upload into dataset ${intent.dataset}`, {
      details: { dataset: intent.dataset, caller: principal.id },
    });
  if (intent.replaces) requireRole(principal, 'admin', 'Replacing an upload (REPLACE mode)');
}
