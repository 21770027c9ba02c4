import { protocol, type Session } from 'electron';
import { answerAppRequest, type AppRequestOptions } from './app-requests';
import { APP_SCHEME } from './app-url';

/**
 * The privileged scandesk: scheme. Must be declared before the app is ready. What it answers
 * (the renderer build, item previews) is app-requests.ts.
 */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

export function handleAppProtocol(session: Session, options: AppRequestOptions): void {
  session.protocol.handle(APP_SCHEME, (request) => answerAppRequest(request, options));
}
