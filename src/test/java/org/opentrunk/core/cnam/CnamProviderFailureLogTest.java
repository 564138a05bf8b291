package org.opentrunk.core.cnam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class CnamProviderFailureLogTest {

    @Test
    void aDeadProviderWritesOneInfoLinePerInterval() {
        Logger logger = Logger.getLogger(CnamLookup.class.getName());
        List<String> infoLines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                    infoLines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        boolean parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        try {
            ProviderFailureLog log = new ProviderFailureLog("http://cnam.example");
            long t = 1_000_000_000L;
            long interval = ProviderFailureLog.INFO_INTERVAL.toNanos();
            for (int i = 0; i < 1000; i++) {
                log.failed("HTTP status 503", t + i * 1_000_000L); // 1000 failures within one second
            }
            assertEquals(1, infoLines.size());
            log.failed("HTTP status 503", t + interval);
            assertEquals(2, infoLines.size());
            assertTrue(infoLines.get(1).contains("999 more failures"), infoLines.get(1));
            assertTrue(infoLines.get(1).contains("http://cnam.example"), infoLines.get(1));
        } finally {
            logger.removeHandler(capture);
            logger.setUseParentHandlers(parentHandlers);
        }
    }
}
