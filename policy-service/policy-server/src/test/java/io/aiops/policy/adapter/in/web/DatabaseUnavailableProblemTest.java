package io.aiops.policy.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A database that goes away mid-request (the sandbox's db-restart chaos run shows it end to end) is a 503 the caller
 * may retry, with Retry-After, never a 500 that reads as a server bug.
 */
class DatabaseUnavailableProblemTest {

    @Test
    void everyWayTheDatabaseCanBeGoneIsA503WithRetryAfter() {
        ProblemResponses responses = new ProblemResponses();
        for (Exception gone : List.of(
                new DataAccessResourceFailureException("connection refused", new SQLException("refused", "08001")),
                new QueryTimeoutException("statement cancelled"),
                new CannotCreateTransactionException("no connection"),
                new TransactionSystemException("JDBC rollback failed"))) {
            ResponseEntity<ProblemDetail> response = responses.databaseUnavailable(gone);

            assertThat(response.getStatusCode()).as("%s", gone).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            assertThat(response.getBody().getType().toString()).endsWith("/database-unavailable");
        }
    }
}
