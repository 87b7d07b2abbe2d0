// Bad input, part 3 of 4 of the seeded fuzz campaign (see lib/fuzz-suite.ts and lib/fuzz-payloads.ts).
import { fuzzPart } from './lib/fuzz-suite.ts';

fuzzPart(3);
