package dev.ippools.mailgun.client.http;

/**
 * Per-call state shared by the interceptors through a request tag: whether the current attempt got
 * as far as a connection, i.e. whether the server may have seen the request.
 */
final class CallTrace {

    private volatile boolean requestMayHaveBeenSent;

    boolean requestMayHaveBeenSent() {
        return requestMayHaveBeenSent;
    }

    void startAttempt() {
        requestMayHaveBeenSent = false;
    }

    void markSent() {
        requestMayHaveBeenSent = true;
    }
}
