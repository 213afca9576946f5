// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

/** tcpdump's one-line DNS summary ("4660+ A? example.com. (29)", "4660 1/0/0 A 93.184.216.34 (45)"). */
final class DnsFormat {
    private static final String[] OPS = {"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
        " op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"};
    private static final String[] RCODES = {"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
        " YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone"};

    private DnsFormat() {
    }

    static String summary(Dns d, int length) {
        StringBuilder s = new StringBuilder().append(d.id()).append(OPS[d.opcode()]);
        int f = d.flags();
        if (d.response()) {
            s.append(d.rcode() < RCODES.length ? RCODES[d.rcode()] : " Resp" + d.rcode());
            s.append((f & 0x400) != 0 ? "*" : "").append((f & 0x80) != 0 ? "" : "-").append((f & 0x200) != 0 ? "|" : "");
            if (d.qdCount() != 1) {
                s.append(" [").append(d.qdCount()).append("q]");
            }
            s.append(' ').append(d.anCount()).append('/').append(d.nsCount()).append('/').append(d.arCount());
            for (int i = 0; i < d.answers().size(); i++) {
                Dns.Record r = d.answers().get(i);
                s.append(i == 0 ? "" : ",");
                if (r.klass() != 1 && r.type() != 41) {
                    s.append(" (Class ").append(r.klass()).append(')');
                }
                s.append(' ').append(Dns.typeName(r.type()));
                if (r.data() != null) {
                    s.append(' ').append(r.data());
                }
            }
        } else {
            s.append((f & 0x100) != 0 ? "+" : "").append((f & 0x10) != 0 ? "%" : "");
            if ((f & 0x6cf) != 0) {
                s.append(String.format(" [b2&3=0x%x]", f));
            }
            if (d.anCount() != 0) {
                s.append(" [").append(d.anCount()).append("a]");
            }
            if (d.qdCount() != 1) {
                s.append(" [").append(d.qdCount()).append("q]");
            }
            if (d.nsCount() != 0) {
                s.append(" [").append(d.nsCount()).append("n]");
            }
            if (d.arCount() != 0) {
                s.append(" [").append(d.arCount()).append("au]");
            }
            for (Dns.Question q : d.questions()) {
                s.append(' ').append(Dns.typeName(q.type()));
                if (q.klass() != 1) {
                    s.append(" (Class ").append(q.klass()).append(')');
                }
                s.append("? ").append(q.name());
            }
        }
        if (d.truncated()) {
            s.append(" [|domain]");
        }
        return s.append(" (").append(length).append(')').toString();
    }
}
