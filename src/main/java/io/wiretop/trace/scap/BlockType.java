// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

/**
 * Block type codes of libscap's {@code scap_savefile.h}, current and older ones, and what the
 * reader does with each (see shared/reference/scap-format.md §1.1).
 */
final class BlockType {
    static final int SHB = 0x0A0D0D0A;
    static final int SHB_MAGIC = 0x1A2B3C4D;

    static final int MI = 0x201;
    static final int MI_OLD = 0x8002ABCD;

    static final int PL_V1 = 0x202;
    static final int PL_V2 = 0x207;
    static final int PL_V3 = 0x209;
    static final int PL_V4 = 0x210;
    static final int PL_V5 = 0x211;
    static final int PL_V6 = 0x212;
    static final int PL_V7 = 0x213;
    static final int PL_V8 = 0x214;
    static final int PL_V9 = 0x215;
    static final int PL_V1_OLD = 0x8000ABCD;
    static final int PL_V2_OLD = 0x8013ABCD;
    static final int PL_V3_OLD = 0x8014ABCD;

    static final int FDL = 0x203;
    static final int FDL_OLD = 0x8001ABCD;
    static final int FDL_V2 = 0x218;

    static final int EV = 0x204;
    static final int EV_OLD = 0x8010ABCD;
    static final int EV_V2 = 0x216;
    static final int EV_V2_LARGE = 0x221;
    static final int EVF = 0x208;
    static final int EVF_V2 = 0x217;
    static final int EVF_V2_LARGE = 0x222;

    static final int IL = 0x205;
    static final int IL_OLD = 0x8011ABCD;
    static final int IL_V2 = 0x219;

    static final int UL = 0x206;
    static final int UL_OLD = 0x8012ABCD;
    static final int UL_V2 = 0x220;

    private BlockType() {
    }

    static boolean isEvent(int type) {
        return switch (type) {
            case EV, EV_OLD, EV_V2, EV_V2_LARGE, EVF, EVF_V2, EVF_V2_LARGE -> true;
            default -> false;
        };
    }

    /** v1 event blocks carry a 22-byte event header without nparams. */
    static boolean isV1Event(int type) {
        return type == EV || type == EV_OLD || type == EVF;
    }

    /** Blocks with the u32 dump flags between cpu id and event. */
    static boolean hasDumpFlags(int type) {
        return type == EVF || type == EVF_V2 || type == EVF_V2_LARGE;
    }

    static boolean isLargeEvent(int type) {
        return type == EV_V2_LARGE || type == EVF_V2_LARGE;
    }

    /** Process-list version 1..9, or 0 when the type is no process list. */
    static int processListVersion(int type) {
        return switch (type) {
            case PL_V1, PL_V1_OLD -> 1;
            case PL_V2, PL_V2_OLD -> 2;
            case PL_V3, PL_V3_OLD -> 3;
            case PL_V4 -> 4;
            case PL_V5 -> 5;
            case PL_V6 -> 6;
            case PL_V7 -> 7;
            case PL_V8 -> 8;
            case PL_V9 -> 9;
            default -> 0;
        };
    }

    /** Whether a block of this type can be in a .scap file (pcapng's own block types are not). */
    static boolean known(int type) {
        return switch (type) {
            case SHB, MI, MI_OLD, FDL, FDL_OLD, FDL_V2, IL, IL_OLD, IL_V2, UL, UL_OLD, UL_V2 -> true;
            default -> isEvent(type) || processListVersion(type) != 0;
        };
    }

    static String hex(int type) {
        return String.format("0x%X", type);
    }
}
