import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { WardenError, errorCodes, type WardenErrorCode } from '../../core/errors.js';
import type { StepResult } from '../pipeline/types.js';

export const PROBLEM_TYPE_BASE = 'https://warden.dev/docs/errors#';

/** RFC 9457 problem JSON with the Warden code; `error` repeats `detail` for official-registry clients. */
export function problemBody(err: WardenError, extra: Record<string, unknown> = {}) {
  const status = err.httpStatus;
  return {
    type: PROBLEM_TYPE_BASE + err.code.toLowerCase(),
    title: errorCodes[err.code].summary,
    status,
    detail: err.message,
    code: err.code,
    error: err.message,
    ...(err.where ? { where: err.where } : {}),
    ...(err.details ? { details: err.details } : {}),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, err: WardenError, extra: Record<string, unknown> = {}) {
  const body = problemBody(err, extra);
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** A rejected publish: the first reason decides the status and code; every reason is listed. */
export function rejectionProblem(ref: string | undefined, reasons: StepResult[], steps: StepResult[]): WardenError & { extra: Record<string, unknown> } {
  const first = reasons[0]!;
  const code = (first.code === 'WARDEN_OK' ? 'WARDEN_E_INTERNAL' : first.code) as WardenErrorCode;
  const err = new WardenError(code, `Publish of ${ref ?? 'the artifact'} rejected: ${reasons.map((r) => `[${r.step}] ${r.message}`).join(' | ')}`.slice(0, 4000)) as WardenError & { extra: Record<string, unknown> };
  err.extra = { decision: 'rejected', ref, reasons, steps };
  return err;
}

function fromFastify(err: FastifyError): WardenError {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new WardenError('WARDEN_E_INPUT_TOO_LARGE', 'The request body is larger than this market accepts; see docs/market.md for the limits.', { cause: err });
  // Field length and count limits are size limits: 413 like an oversized body.
  if (err.validation?.some((v) => ['maxLength', 'maxItems', 'maxProperties'].includes(v.keyword))) {
    return new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The request exceeds a field limit: ${err.message}.`, { cause: err, where: err.validationContext ?? 'request' });
  }
  if (err.validation) return new WardenError('WARDEN_E_USAGE', `The request is invalid: ${err.message}.`, { cause: err, where: err.validationContext ?? 'request' });
  if (err.statusCode === 415) return new WardenError('WARDEN_E_USAGE', 'Send the request body as application/json.', { cause: err });
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new WardenError('WARDEN_E_USAGE', `The request is invalid: ${err.message}.`, { cause: err });
  return new WardenError('WARDEN_E_INTERNAL', 'Unexpected error inside the market; the operator can find it in the server log.', { cause: err });
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const err = error instanceof WardenError ? error : fromFastify(error);
    if (err.code === 'WARDEN_E_INTERNAL' || err.code === 'WARDEN_E_MARKET_STORE') request.log.error({ err: error }, 'market request failed');
    const extra = (error as { extra?: Record<string, unknown> }).extra ?? {};
    return sendProblem(reply, err, extra);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new WardenError('WARDEN_E_MARKET_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}. See docs/market.md for the API.`)),
  );
}
