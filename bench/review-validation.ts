import { renderValidation } from "./lib/review-report";
import { DEFAULT_VALIDATION_OPTIONS, runValidationBench } from "./lib/review-validation";

// The in-process review validation benchmark alone (the same code `npm run bench` runs first in the
// review suite), e.g. to profile it:
//   node --cpu-prof --cpu-prof-dir=bench/results/profiles --import tsx bench/review-validation.ts [updates [paceMs]]
const updates = Number(process.argv[2]) > 0 ? Math.floor(Number(process.argv[2])) : DEFAULT_VALIDATION_OPTIONS.updates;
const paceMs = Number(process.argv[3]) > 0 ? Number(process.argv[3]) : 0;
const result = await runValidationBench({ ...DEFAULT_VALIDATION_OPTIONS, updates, paceMs });
console.log(renderValidation([result]));
if (result.refused) process.exitCode = 1;
