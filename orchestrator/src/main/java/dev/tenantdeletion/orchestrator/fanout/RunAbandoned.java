package dev.tenantdeletion.orchestrator.fanout;

/** A fan-out run stopped because its progress could not be recorded (claim lost, database failure). */
public final class RunAbandoned extends RuntimeException {

    public RunAbandoned(String message, Throwable cause) {
        super(message, cause);
    }
}
