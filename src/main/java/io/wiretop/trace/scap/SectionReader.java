// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.trace.CaptureFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a section header and the state blocks after it (machine, interfaces, users, threads, fds)
 * up to the section's first event block, as libscap's {@code scap_read_init} does: unknown blocks
 * are skipped, every block's trailer must repeat its length, a section with no event is refused.
 */
final class SectionReader {
    private static final int SHB_BODY = 16;
    private static final int MI_BODY = 180;
    private static final int MAX_USER_STRING = 255;

    private final ScapInput in;
    private final List<String> comments = new ArrayList<>();
    private String application = "";
    private MachineInfo machine;
    private final List<ScapInterface> interfaces = new ArrayList<>();
    private final List<ScapUser> users = new ArrayList<>();
    private final Map<Long, ScapThread> threads = new LinkedHashMap<>();
    private final Map<Long, List<ScapFd>> fds = new HashMap<>();

    private SectionReader(ScapInput in) {
        this.in = in;
    }

    /**
     * Reads the section whose header block is the current one, leaving the first event block's
     * header current (its body unread).
     */
    static ScapSection read(ScapInput in) throws IOException {
        return new SectionReader(in).readSection();
    }

    private ScapSection readSection() throws IOException {
        long at = in.at();
        if (in.type() != BlockType.SHB) {
            throw in.error(at, String.format("not a .scap capture: block type 0x%08x where a section header"
                    + " (0x0a0d0d0a) must be", in.type()));
        }
        int magic = in.peekInt(8, "section header");
        if (magic == Integer.reverseBytes(BlockType.SHB_MAGIC)) {
            throw in.error(at, "section header in big-endian byte order: only little-endian .scap files"
                    + " can be read (as with sysdig)");
        }
        if (magic != BlockType.SHB_MAGIC) {
            throw in.error(at, String.format("section header byte-order magic 0x%08x, 0x1a2b3c4d expected", magic));
        }
        in.readBody("section header");
        BodyCursor c = new BodyCursor(in, "section header");
        c.skip(4, "byte-order magic");
        int major = c.u16("major version");
        int minor = c.u16("minor version");
        c.i64("section length");
        if (major != 1) {
            throw c.error("version " + major + "." + minor + " (this reader, like sysdig 0.29.3, reads 1.x)");
        }
        readOptions(c);
        while (in.nextHeader()) {
            int type = in.type();
            if (BlockType.isEvent(type)) {
                fds.replaceAll((tid, list) -> List.copyOf(list));
                return new ScapSection(at, major, minor, List.copyOf(comments), application, machine,
                        List.copyOf(interfaces), List.copyOf(users), List.copyOf(threads.values()), Map.copyOf(fds));
            }
            readStateBlock(type);
        }
        throw in.error(in.at(), "no event in the section starting at offset " + at
                + " (sysdig refuses such a file too: \"no events in file\")");
    }

    /** pcapng options after the 16-byte header (editcap adds them); a malformed list ends their reading. */
    private void readOptions(BodyCursor c) throws CaptureFileException {
        while (c.remaining() >= 4) {
            int code = c.u16("option code");
            int len = c.u16("option length");
            int padded = (len + 3) & ~3;
            if (code == 0 || padded > c.remaining()) {
                return;
            }
            byte[] v = c.bytes(len, "option");
            c.skip(padded - len, "option padding");
            if (code == 1) {
                comments.add(new String(v, StandardCharsets.UTF_8));
            } else if (code == 4) {
                application = new String(v, StandardCharsets.UTF_8);
            }
        }
    }

    private void readStateBlock(int type) throws IOException {
        int plVersion = BlockType.processListVersion(type);
        switch (type) {
            case BlockType.MI, BlockType.MI_OLD -> machineInfo();
            case BlockType.IL, BlockType.IL_OLD, BlockType.IL_V2 -> interfaceList(type == BlockType.IL_V2);
            case BlockType.UL, BlockType.UL_OLD, BlockType.UL_V2 -> userList(type == BlockType.UL_V2);
            case BlockType.FDL, BlockType.FDL_OLD, BlockType.FDL_V2 -> fdList(type == BlockType.FDL_V2);
            default -> {
                if (plVersion > 0) {
                    processList(plVersion);
                } else {
                    in.readBody(String.format("block of unknown type 0x%x", type)); // skipped, as sysdig does
                }
            }
        }
    }

    private void machineInfo() throws IOException {
        in.readBody("machine info block");
        BodyCursor c = new BodyCursor(in, "machine info block");
        if (c.remaining() != MI_BODY) {
            // libscap reads 180 bytes and then the trailer: any other size fails its trailer check
            throw c.error("body of " + c.remaining() + " bytes, " + MI_BODY + " expected");
        }
        int cpus = (int) c.u32("cpu count");
        long memory = c.i64("memory size");
        long maxPid = c.i64("max pid");
        String host = ScapSocket.cString(c.bytes(128, "hostname"), 0, 128);
        machine = new MachineInfo(cpus, memory, maxPid, host);
    }

    private void interfaceList(boolean v2) throws IOException {
        String name = v2 ? "interface list (v2)" : "interface list";
        in.readBody(name);
        BodyCursor c = new BodyCursor(in, name);
        while (c.remaining() >= 4) {
            int end = -1;
            if (v2) {
                long len = c.u32("entry length"); // excludes itself
                if (len > c.remaining()) {
                    throw c.error("entry length " + len + " runs past the block");
                }
                end = c.position() + (int) len;
            }
            int type = c.u16("address type");
            int nameLength = c.u16("name length");
            if (nameLength >= BodyCursor.MAX_PATH) {
                throw c.error("interface name length " + nameLength + " exceeds " + (BodyCursor.MAX_PATH - 1));
            }
            int size = switch (type) {
                case 1, 3 -> 4;
                case 2, 4 -> 16;
                default -> throw c.error("unknown interface address type " + type);
            };
            byte[] addr = c.bytes(size, "address");
            byte[] mask = c.bytes(size, "netmask");
            byte[] bcast = c.bytes(size, "broadcast address");
            long speed = type <= 2 ? c.i64("link speed") : 0;
            String ifname = new String(c.bytes(nameLength, "interface name"), StandardCharsets.UTF_8);
            interfaces.add(new ScapInterface(ifname, addr, mask, bcast, speed));
            if (end >= 0) {
                if (c.position() > end) {
                    throw c.error("entry longer than its length field");
                }
                c.seek(end);
            }
        }
    }

    private void userList(boolean v2) throws IOException {
        String name = v2 ? "user list (v2)" : "user list";
        in.readBody(name);
        BodyCursor c = new BodyCursor(in, name);
        while (c.remaining() >= 4) {
            int end = -1;
            if (v2) {
                int start = c.position();
                long len = c.u32("entry length"); // includes itself
                if (len < 4 || len - 4 > c.remaining()) {
                    throw c.error("entry length " + len + " does not fit the block");
                }
                end = start + (int) len;
            }
            int kind = c.u8("entry kind");
            if (kind == 0) {
                long uid = c.u32("uid");
                long gid = c.u32("gid");
                users.add(new ScapUser(false, uid, gid, c.str("user name", MAX_USER_STRING),
                        c.str("home directory", MAX_USER_STRING), c.str("shell", MAX_USER_STRING)));
            } else if (kind == 1) {
                long gid = c.u32("gid");
                users.add(new ScapUser(true, -1, gid, c.str("group name", MAX_USER_STRING), "", ""));
            } else {
                throw c.error("unknown entry kind " + kind);
            }
            if (end >= 0) {
                if (c.position() > end) {
                    throw c.error("entry longer than its length field");
                }
                c.seek(end);
            }
        }
    }

    private void processList(int v) throws IOException {
        String name = "process list (V" + v + ")";
        in.readBody(name);
        ProcessListParser.read(new BodyCursor(in, name), v, threads);
    }

    private void fdList(boolean v2) throws IOException {
        String name = v2 ? "fd list (v2)" : "fd list";
        in.readBody(name);
        BodyCursor c = new BodyCursor(in, name);
        long tid = c.i64("tid");
        if (!threads.containsKey(tid)) {
            throw c.error("thread " + tid + " is not in an earlier process list (sysdig refuses this too)");
        }
        FdListParser.read(c, v2, fds.computeIfAbsent(tid, t -> new ArrayList<>()));
    }
}
