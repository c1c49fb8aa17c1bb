package io.grove.runtime.http;

/** Thrown by a handler to answer with a problem details body. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException badRequest(String kind, String detail) {
        return new ProblemException(Problem.of(400, kind, "Bad request", detail));
    }

    public static ProblemException notFound(String kind, String detail) {
        return new ProblemException(Problem.of(404, kind, "Not found", detail));
    }

    public static ProblemException conflict(String kind, String detail) {
        return new ProblemException(Problem.of(409, kind, "Conflict", detail));
    }

    public Problem problem() {
        return problem;
    }
}
