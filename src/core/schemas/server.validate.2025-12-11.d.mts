// Types of the generated validator (scripts/gen-schema-validator.mjs).
import type { ErrorObject } from 'ajv';

export interface StandaloneValidate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
declare const validate: StandaloneValidate;
export default validate;
export { validate };
