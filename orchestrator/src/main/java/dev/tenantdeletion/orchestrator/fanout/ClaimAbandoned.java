package dev.tenantdeletion.orchestrator.fanout;

/** A claim stopped because its progress could not be recorded (lease lost, database failure). */
public final class ClaimAbandoned extends RuntimeException {

    public ClaimAbandoned(String message, Throwable cause) {
        super(message, cause);
    }
}
