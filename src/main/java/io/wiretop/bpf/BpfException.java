// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

/**
 * A BPF step failed. The message is one sentence a user can act on; {@link #detail()} carries
 * what libbpf logged (the verifier log for a rejected program) for the log file and bug reports.
 */
public class BpfException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String detail;

    public BpfException(String message) {
        this(message, "");
    }

    public BpfException(String message, String detail) {
        super(message);
        this.detail = detail == null ? "" : detail;
    }

    /** libbpf's log lines around the failure, possibly empty. */
    public String detail() {
        return detail;
    }
}
