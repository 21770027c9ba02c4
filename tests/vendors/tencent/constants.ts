import { SAMPLES } from '../../fixtures/samples';
export { SAMPLES };
/** Known test secrets (never real ones): every "no secret in messages" check looks for these. */
export const SECRET_ID = 'AKIDtestScanDesk0000000000000000EXAMPLE';
export const SECRET_KEY = 'ScanDeskTestSecretKey0000000000EXAMPLE';
