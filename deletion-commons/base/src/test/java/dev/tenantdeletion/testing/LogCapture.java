package dev.tenantdeletion.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The log lines one logger (a class's name, as io.quarkus.logging.Log names it) writes while the capture is open, each
 * as one string: the formatted message, the MDC (job_id, tenant_id, trace_id…) and the stack trace of its exception, as
 * an operator reads them in the log. Tests run in the application's JVM, so a JUL handler sees its lines.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLevel() + " ");
            line.append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            if (record instanceof ExtLogRecord ext) {
                line.append(" mdc=").append(ext.getMdcCopy());
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(handler);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** The lines so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines so far containing every one of {@code words}. */
    public List<String> linesWith(String... words) {
        return lines.stream().filter(line -> java.util.Arrays.stream(words).allMatch(line::contains)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
