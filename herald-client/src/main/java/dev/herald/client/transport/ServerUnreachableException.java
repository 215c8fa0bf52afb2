package dev.herald.client.transport;

import dev.herald.core.model.ErrorCode;

/**
 * No connection could be made to the server (nothing listens, no route, no answer to the connect): the request
 * never reached it. Unlike other {@link RetryableException}s this says nothing of what lies between client and
 * server, so a watch does not take it as a sign that streams are blocked.
 */
public final class ServerUnreachableException extends RetryableException {

    public ServerUnreachableException(String message) {
        super(ErrorCode.UNAVAILABLE, message, null);
    }
}
