/** A Tencent API 3.0 error: answered as HTTP 200 with Response.Error {Code, Message}. */
export class TcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
