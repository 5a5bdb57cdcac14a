import { checkMunicipalityCode } from '@hub/jp-codes';
import { z } from 'zod';

/**
 * A 全国地方公共団体コード: six digits, the last a check digit (@hub/jp-codes). Spaces owns the
 * municipalities (`Municipality @key(code)`); every other service refers to one by this code.
 */
export const ZMunicipalityCode = z.string().refine((code) => checkMunicipalityCode(code).isValid, {
  message:
    '6桁でチェックディジットの正しい市区町村コード (a 6-digit municipality code with a valid check digit)',
});
export type TMunicipalityCode = z.infer<typeof ZMunicipalityCode>;
