// Library warnings are expected in several tests (which capture them where they matter); keep the
// test output free of Node's process-warning noise.
import { setWarningHandler } from '../../src/core/warnings';

setWarningHandler(() => undefined);
