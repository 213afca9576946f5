// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.events.EventSelection;
import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.text.SafeText;
import io.wiretop.trace.record.RecordStatus;
import io.wiretop.trace.record.Recorder;
import io.wiretop.view.ActionDef;
import io.wiretop.view.ColumnDef;
import io.wiretop.view.Filter;
import io.wiretop.view.TableRow;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewTable;
import io.wiretop.view.ViewType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The UI's state and what each {@link Command} does to it: current view, drill-down stack, table,
 * selection, pause, open menu/page/prompt, footer message. Knows nothing about lanterna I/O; the
 * {@link InputDispatcher} feeds it and the {@link ScreenRenderer} draws it. UI thread only.
 */
final class UiController {
    static final long MESSAGE_MILLIS = 5000;

    final Views views;
    final Keymap keymap;
    final boolean readonly;
    final ActionRunner actions;
    final LongSupplier clock;

    ViewState cur;
    final Deque<DrillFrame> stack = new ArrayDeque<>();
    /** Filter ANDed with every view (the command line's filter), {@link Filter#ALL} when none. */
    Filter global = Filter.ALL;
    Snapshot snapshot;
    ViewTable table;
    boolean paused;
    boolean quit;
    boolean fullRedraw;
    /** Ctrl-Z was pressed: the loop stops the job (it owns the terminal session). */
    boolean stopRequested;
    Prompt prompt;
    Menu menu;
    Page page;
    String search = "";
    private String message;
    private boolean messageError;
    private long messageUntil;
    /** Rows the table area shows, set by the renderer from the screen size. */
    int tableRows = 20;
    /** Width of the event window's text, set by the renderer. */
    int windowWidth = 80;
    /** How the record key starts a recording; null where wiretop cannot record (the key then says so). */
    RecordingSetup recording;
    /** The recording in progress (or ended and not yet reported), else null. */
    Recorder recorder;
    /** How Echo, Dig and Spectrogram get their events; null where none can (the key then says so). */
    io.wiretop.window.EventWindowSource.Opener windowSources;
    /** The open Echo/Dig/Spectrogram window, else null. */
    EventWindow window;
    java.time.ZoneId zone = java.time.ZoneId.systemDefault();
    private static final java.time.format.DateTimeFormatter RECORD_NAME =
            java.time.format.DateTimeFormatter.ofPattern("'wiretop-'yyyyMMdd-HHmmss'.scap'");

    /**
     * The sources the feed can fill (live: files, syscalls and packets too, their collectors
     * attach on demand): a view whose source is missing from a snapshot is then waiting for its
     * collector, not asking for an option.
     */
    java.util.function.Supplier<Set<String>> available = Set::of;

    UiController(Views views, ViewDef start, Keymap keymap, boolean readonly, ActionRunner actions, LongSupplier clock) {
        this.views = views;
        this.keymap = keymap;
        this.readonly = readonly;
        this.actions = actions;
        this.clock = clock;
        this.cur = new ViewState(start);
    }

    // ---- data ----

    /** Takes a new snapshot unless paused; true when the table changed. */
    boolean offer(Snapshot s) {
        reportEndedRecording();
        if (s == null || paused || (snapshot != null && s.seq() == snapshot.seq())) {
            return false;
        }
        snapshot = s;
        rebuild();
        return true;
    }

    /** Rebuilds the table from the current snapshot and state, keeping the selection on its key. */
    void rebuild() {
        if (snapshot == null) {
            table = null;
            return;
        }
        try {
            Filter f = extraFilter();
            if (cur.clearedAfter != null) {
                f = Filter.and(f, Filter.greaterThan("evt.num", cur.clearedAfter));
            }
            cur.view = cur.full.shownWith(snapshot.collected()); // FILE/WIRE columns come and go with their collectors
            table = ViewTable.build(cur.view, snapshot, f, cur.sortColumn, cur.ascending);
        } catch (RuntimeException e) {
            table = null;
            message("cannot build view " + cur.view.id() + ": " + e.getMessage(), true);
        }
        if (cur.follow) {
            select(rows().size() - 1);
        } else {
            followSelection();
        }
    }

    Filter extraFilter() {
        Filter f = global;
        Iterator<DrillFrame> it = stack.descendingIterator();
        while (it.hasNext()) {
            f = Filter.and(f, it.next().selection());
        }
        return Filter.and(f, cur.userFilter);
    }

    List<TableRow> rows() {
        return table == null ? List.of() : table.rows();
    }

    TableRow selectedRow() {
        List<TableRow> r = rows();
        return cur.selected >= 0 && cur.selected < r.size() ? r.get(cur.selected) : null;
    }

    private void followSelection() {
        List<TableRow> r = rows();
        if (cur.selectedKey != null) {
            for (int i = 0; i < r.size(); i++) {
                if (r.get(i).key().equals(cur.selectedKey)) {
                    cur.selected = i;
                    break;
                }
            }
        }
        select(cur.selected);
    }

    /**
     * The user moved the selection to row i: like {@link #select}, and a list view follows new rows
     * again exactly when the selection is on the last (newest) row.
     */
    void moveTo(int i) {
        select(i);
        if (cur.view.type() == ViewType.LIST) {
            cur.follow = cur.selected >= rows().size() - 1;
        }
    }

    /** Moves the selection to row i (clamped) and scrolls it into view. */
    void select(int i) {
        List<TableRow> r = rows();
        cur.selected = r.isEmpty() ? 0 : Math.max(0, Math.min(r.size() - 1, i));
        cur.selectedKey = r.isEmpty() ? cur.selectedKey : r.get(cur.selected).key();
        int vis = Math.max(1, tableRows);
        if (cur.selected < cur.top) {
            cur.top = cur.selected;
        } else if (cur.selected >= cur.top + vis) {
            cur.top = cur.selected - vis + 1;
        }
        cur.top = Math.max(0, Math.min(cur.top, Math.max(0, r.size() - vis)));
    }

    void viewport(int rows) {
        if (rows != tableRows) {
            tableRows = Math.max(1, rows);
            select(cur.selected);
        }
    }

    // ---- messages ----

    void message(String text, boolean error) {
        message = text;
        messageError = error;
        messageUntil = clock.getAsLong() + MESSAGE_MILLIS;
    }

    String message() {
        if (message != null && clock.getAsLong() > messageUntil) {
            message = null;
        }
        return message;
    }

    boolean messageIsError() {
        return messageError;
    }

    void clearMessage() {
        message = null;
    }

    // ---- commands ----

    void execute(Command c) {
        int sortIdx = c.sortColumnIndex();
        if (sortIdx >= 0) {
            sortByVisible(sortIdx);
            return;
        }
        switch (c) {
            case QUIT -> quit = true;
            case HELP -> page = Pages.help(keymap);
            case LEGEND -> page = Pages.legend(cur.view);
            case VIEWS -> openViewMenu();
            case SORT_MENU -> openSortMenu();
            case ACTIONS -> openActionMenu();
            case FILTER -> prompt = new Prompt(cur.userFilterIsExpression ? Prompt.Kind.FILTER_EXPRESSION
                    : Prompt.Kind.FILTER_TEXT, cur.userFilterText);
            case SEARCH -> prompt = new Prompt(Prompt.Kind.SEARCH, "");
            case SEARCH_NEXT -> searchNext();
            case PAUSE -> paused = !paused;
            case DRILL_DOWN -> drillDown();
            case DRILL_UP -> drillUp();
            case UP -> moveTo(cur.selected - 1);
            case DOWN -> moveTo(cur.selected + 1);
            case PAGE_UP -> moveTo(cur.selected - tableRows);
            case PAGE_DOWN -> moveTo(cur.selected + tableRows);
            case HOME -> moveTo(0);
            case END -> moveTo(rows().size() - 1);
            case LEFT -> cur.hscroll = Math.max(0, cur.hscroll - 8);
            case RIGHT -> cur.hscroll = Math.min(cur.hscroll + 8, 400);
            case REDRAW -> fullRedraw = true;
            case ECHO -> openWindow(EventWindow.Kind.ECHO);
            case DIG -> openWindow(EventWindow.Kind.DIG);
            case SPECTRO -> openWindow(EventWindow.Kind.SPECTRO);
            case CLEAR -> clear();
            case GOTO -> message("Goto works in the Echo and Dig windows", false);
            case RECORD -> toggleRecording();
            default -> {
            }
        }
    }

    /** Shift+n / header click: sort by visible column i; the same column again reverses. */
    void sortByVisible(int i) {
        if (cur.view.type() == ViewType.LIST) {
            message("A list keeps the order of events: it cannot be sorted", false);
            return;
        }
        List<ColumnDef> cols = cur.view.visibleColumns();
        if (i < 0 || i >= cols.size()) {
            return;
        }
        ColumnDef col = cols.get(i);
        if (col.name().equals(cur.sortColumn)) {
            cur.ascending = !cur.ascending;
        } else {
            cur.sortColumn = col.name();
            cur.ascending = !col.numeric();
        }
        rebuild();
    }

    ColumnDef sortColumn() {
        return cur.view.column(cur.sortColumn);
    }

    private void openViewMenu() {
        java.util.Set<String> present = snapshot == null ? java.util.Set.of() : snapshot.collected();
        List<ViewDef> list = views.applicableTo(selectionField()).stream().filter(v -> v.offeredWith(present)).toList();
        if (list.isEmpty()) {
            message("no views apply here", false);
            return;
        }
        List<String> names = list.stream().map(ViewDef::name).toList();
        List<List<String>> details = list.stream().map(Pages::viewDetail).toList();
        int at = Math.max(0, names.indexOf(cur.view.name()));
        menu = new Menu(Menu.Kind.VIEWS, "Select View", names, details, at);
        menuViews = list;
    }

    private List<ViewDef> menuViews = List.of();

    private void openSortMenu() {
        if (cur.view.type() == ViewType.LIST) {
            sortByVisible(0);
            return;
        }
        List<String> names = new ArrayList<>();
        int at = 0;
        List<ColumnDef> cols = cur.view.visibleColumns();
        for (int i = 0; i < cols.size(); i++) {
            boolean current = cols.get(i).name().equals(cur.sortColumn);
            names.add(cols.get(i).name() + (current ? " (V)" : ""));
            at = current ? i : at;
        }
        menu = new Menu(Menu.Kind.SORT, "Select sort column", names, null, at);
    }

    private void openActionMenu() {
        List<String> items = new ArrayList<>();
        for (ActionDef a : cur.view.actions()) {
            items.add("(" + a.hotkey() + ") " + a.description());
        }
        if (items.isEmpty()) {
            items.add("<NO ACTIONS>");
        }
        menu = new Menu(Menu.Kind.ACTIONS, "Select Action", items, null, 0);
    }

    /** Enter in a menu: applies the highlighted entry and closes the menu. */
    void activateMenu() {
        Menu m = menu;
        menu = null;
        if (m == null || m.items.isEmpty()) {
            return;
        }
        switch (m.kind) {
            case VIEWS -> switchView(menuViews.get(m.selected));
            case SORT -> sortByVisible(m.selected);
            case ACTIONS -> {
                if (!cur.view.actions().isEmpty()) {
                    runAction(cur.view.actions().get(m.selected));
                }
            }
        }
    }

    /** F2: shows another view for the same drill-down selection, with that view's defaults. */
    void switchView(ViewDef v) {
        if (v == null) {
            return;
        }
        cur = new ViewState(v);
        search = "";
        rebuild();
    }

    String selectionField() {
        return stack.isEmpty() ? "" : stack.peek().selectionField();
    }

    void drillDown() {
        TableRow row = selectedRow();
        if (row != null && showsPackets()) {
            openPacket(row);
            return;
        }
        if (row == null || cur.view.type() == ViewType.LIST) {
            return;
        }
        String target = cur.view.drilldownTarget();
        ViewDef next = target == null ? null : views.get(target);
        if (next == null) {
            message("No drill-down from " + cur.view.name(), false);
            return;
        }
        Filter sel = ViewTable.selection(cur.view, row);
        ColumnDef key = cur.view.keyColumn();
        stack.push(new DrillFrame(cur.copy(), sel, key == null ? "" : key.field()));
        cur = new ViewState(next);
        search = "";
        rebuild();
    }

    // ---- packets ----

    boolean showsPackets() {
        return Snapshot.PACKETS.equals(cur.view.source());
    }

    /** Enter on a packet: the decoded page; the list stops following so Backspace finds it again. */
    void openPacket(TableRow row) {
        Object seq = row.value("evt.num");
        PacketRow p = null;
        if (snapshot != null && seq instanceof Number n) {
            for (Row r : snapshot.rows(Snapshot.PACKETS)) {
                if (r instanceof PacketRow pr && pr.seq() == n.longValue()) {
                    p = pr;
                    break;
                }
            }
        }
        if (p == null) {
            message("this packet is no longer in the history", false);
            return;
        }
        cur.follow = false;
        page = PacketDetail.page(p);
    }

    /**
     * Which packets the kernel must hand over for what is on screen: none unless the view is a
     * packets view; else those of the most specific drill-down level (socket cookies, else pids),
     * taken from every ANDed selection and filter; every packet when nothing narrows it. The kernel
     * ORs pids and cookies, so sending only the cookies keeps the set as small as the view needs.
     */
    PacketSelection packetSelection() {
        PacketSelection view = viewPacketSelection();
        if (window == null || !window.wantsPackets()) {
            return view;
        }
        // Dig on a live connection: its socket's packets too, selected in the kernel by cookie
        // (by pid when the row had none), merged with what the view wants (the kernel ORs them)
        io.wiretop.window.WindowSelection w = window.selection;
        if (view.all()) {
            return view;
        }
        Set<Long> pids = new HashSet<>(view.pids()), cookies = new HashSet<>(view.cookies());
        if (w.cookie() != 0) {
            cookies.add(w.cookie());
        } else {
            pids.addAll(w.pids());
        }
        return new PacketSelection(false, pids, cookies);
    }

    /** The packets the view on screen lists (see {@link #packetSelection()}). */
    private PacketSelection viewPacketSelection() {
        if (!showsPackets()) {
            return PacketSelection.NONE;
        }
        Map<String, List<String>> req = extraFilter().requiredValues();
        Set<Long> cookies = longs(req.get("fd.cookie"));
        if (!cookies.isEmpty()) {
            return new PacketSelection(false, Set.of(), cookies);
        }
        Set<Long> pids = longs(req.get("proc.pid"));
        return pids.isEmpty() ? PacketSelection.ALL : new PacketSelection(false, pids, Set.of());
    }

    private static Set<Long> longs(List<String> values) {
        Set<Long> out = new HashSet<>();
        if (values != null) {
            for (String v : values) {
                try {
                    out.add(Long.parseLong(v.strip()));
                } catch (NumberFormatException e) {
                    // "proc.pid = abc" selects nothing; it cannot narrow the capture either
                }
            }
        }
        return out;
    }

    /** The Packets list's clear: hide what is listed now, keep showing what arrives next. */
    private void clear() {
        if (!showsPackets()) {
            message(cur.view.type() == ViewType.LIST ? "List views show the last interval: nothing to clear"
                    : "Clear applies to list views", false);
            return;
        }
        long max = -1;
        for (TableRow r : rows()) {
            if (r.value("evt.num") instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        if (max >= 0) {
            cur.clearedAfter = max;
        }
        cur.follow = true;
        rebuild();
    }

    void drillUp() {
        if (stack.isEmpty()) {
            return;
        }
        cur = stack.pop().saved();
        rebuild();
    }

    /** "whole machine" or the drill-down chain, e.g. {@code proc.pid=17496 and thread.tid=17496}. */
    String forText() {
        if (stack.isEmpty()) {
            return "whole machine";
        }
        // a drill-down from a composite key repeats its parent's term (Connections → Packets carries
        // proc.pid again): the chain names each term once
        java.util.Set<String> parts = new java.util.LinkedHashSet<>();
        stack.descendingIterator().forEachRemaining(f -> parts.addAll(List.of(f.selection().text().split(" and "))));
        return String.join(" and ", parts);
    }

    /** The effective filter as the header shows it: view filter, selections, user filter; or "none". */
    String filterText() {
        List<String> parts = new ArrayList<>();
        if (cur.view.filter() != null && !cur.view.filter().isBlank()) {
            parts.add(cur.view.filter().strip());
        }
        if (!global.isAll()) {
            parts.add(global.text());
        }
        stack.descendingIterator().forEachRemaining(f -> parts.add(f.selection().text()));
        if (!cur.userFilter.isAll()) {
            parts.add(cur.userFilterIsExpression ? cur.userFilter.text() : "text~\"" + cur.userFilterText + "\"");
        }
        if (parts.isEmpty()) {
            return "none";
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(") and (", parts) + ")";
    }

    // ---- event windows ----

    /** F5/F6/F12: opens the window on the selected row's process (narrowed to its fd on a connection or file). */
    void openWindow(EventWindow.Kind kind) {
        if (windowSources == null) {
            message(kind.label + " window: not available on this source", false);
            return;
        }
        io.wiretop.window.WindowSelection sel = windowSelection();
        if (sel == null) {
            message("Select a process, connection or file first", false);
            return;
        }
        try {
            window = new EventWindow(kind, sel, windowSources.open(sel, kind.enters, zone), zone);
        } catch (Exception e) {
            message("cannot open the " + kind.label + " window: " + oneLine(e), true);
        }
    }

    /** Backspace in a window: closes it and its source. */
    void closeWindow() {
        if (window != null) {
            window.close();
            window = null;
        }
    }

    /**
     * The selected row as a window's selection: a container (a row grouped by container.id: its
     * processes), a thread (a row with thread.tid: that thread), a connection (fd.lip, fd.lport,
     * fd.rip, fd.rport, and its socket's fd.cookie; a packet's pkt.src and pkt.dst), a file (fd.name),
     * else the row's proc.pid (with the drill-down's when the row has none).
     */
    io.wiretop.window.WindowSelection windowSelection() {
        TableRow row = selectedRow();
        if (row != null && groupsBy("container.id") && row.value("container.id") instanceof String id
                && !id.isEmpty() && !"host".equals(id)) {
            Set<Long> pids = new HashSet<>();
            if (snapshot != null) {
                for (Row r : snapshot.rows(cur.view.source())) {
                    if (r.get("container.id") instanceof String c && c.startsWith(id) && r.get("proc.pid") instanceof Number n) {
                        pids.add(n.longValue());
                    }
                }
            }
            return io.wiretop.window.WindowSelection.container(id, pids, "container.id=" + id);
        }
        Set<Long> pids = new HashSet<>();
        if (row != null && row.value("proc.pid") instanceof Number n) {
            pids.add(n.longValue());
        }
        if (pids.isEmpty()) {
            pids.addAll(longs(extraFilter().requiredValues().get("proc.pid")));
        }
        pids.remove(0L);
        if (pids.isEmpty()) {
            return null;
        }
        long pid = pids.iterator().next();
        String text = "proc.pid=" + pid;
        if (row != null && row.value("thread.tid") instanceof Number tid && tid.longValue() > 0
                && Snapshot.THREADS.equals(cur.view.source())) {
            return io.wiretop.window.WindowSelection.thread(pid, tid.longValue(), "thread.tid=" + tid.longValue());
        }
        String tuple = row == null ? null : tuple(row);
        if (tuple == null && row != null && row.value("fd.name") instanceof String name && name.contains("->")) {
            tuple = name; // a view that names its connections by fd.name only
        }
        if (tuple != null) {
            long cookie = row.value("fd.cookie") instanceof Number c ? c.longValue() : 0;
            Set<Long> drilled = longs(extraFilter().requiredValues().get("fd.cookie"));
            if (cookie == 0 && drilled.size() == 1) {
                cookie = drilled.iterator().next(); // a packet list drilled down from its connection
            }
            return io.wiretop.window.WindowSelection.connection(pid, tuple, cookie, text + " and fd.name=" + tuple);
        }
        String fdName = null;
        if (row != null && cur.view.column("fd.name") != null && row.value("fd.name") instanceof String name
                && !name.isEmpty()) {
            fdName = name;
            text += " and fd.name=" + name;
        }
        return new io.wiretop.window.WindowSelection(pids, -1, fdName, text);
    }

    /** Whether the view groups its rows by this field (the Containers view by container.id). */
    private boolean groupsBy(String field) {
        return cur.view.columns().stream().anyMatch(c -> c.isGroupbyKey() && field.equals(c.field()));
    }

    /**
     * A connection row's (or a packet row's) {@code lip:lport->rip:rport}, as sysdig names a socket
     * (IPv6 without brackets), or null when the row names none.
     */
    static String tuple(TableRow row) {
        if (row.value("fd.lip") instanceof String lip && row.value("fd.lport") instanceof Number lport
                && row.value("fd.rip") instanceof String rip && row.value("fd.rport") instanceof Number rport
                && !lip.isEmpty() && !rip.isEmpty()) {
            return lip + ":" + lport.longValue() + "->" + rip + ":" + rport.longValue();
        }
        Object proto = row.value("fd.l4proto");
        if (("tcp".equals(proto) || "udp".equals(proto)) && row.value("pkt.src") instanceof String src
                && row.value("pkt.dst") instanceof String dst) {
            int a = src.lastIndexOf('.'), b = dst.lastIndexOf('.');
            if (a > 0 && b > 0) { // tcpdump's ip.port
                return src.substring(0, a) + ":" + src.substring(a + 1) + "->" + dst.substring(0, b) + ":" + dst.substring(b + 1);
            }
        }
        return null;
    }

    // ---- recording ----

    /** The record key: stops the recording in progress, or starts one of what the view selects. */
    void toggleRecording() {
        if (recorder != null) {
            RecordStatus end = stopRecording();
            if (end != null && end.error() == null) {
                message("Recorded " + end.summary(), false);
            }
            return;
        }
        if (recording == null) {
            message("Recording needs the live kernel source", false);
            return;
        }
        EventSelection sel = recordSelection();
        if (sel == null) {
            message("Nothing to record: this view shows no process", false);
            return;
        }
        java.nio.file.Path file = recording.dir().resolve(RECORD_NAME.format(java.time.LocalDateTime.now()));
        try {
            recorder = recording.starter().start(file, sel);
        } catch (Exception e) {
            message("cannot record to " + SafeText.escape(file.toString()) + ": " + oneLine(e), true);
            return;
        }
        message("Recording " + (sel.all() ? "every process" : sel.pids().size() == 1
                ? "pid " + sel.pids().iterator().next() : sel.pids().size() + " processes")
                + " to " + SafeText.escape(file.toString()), false);
    }

    /** Ends the recording in progress (quit, the key); its final status, or null when none ran. */
    RecordStatus stopRecording() {
        Recorder r = recorder;
        recorder = null;
        if (r == null) {
            return null;
        }
        RecordStatus end = r.stop();
        if (end.error() != null) {
            message(SafeText.printable(end.error()), true);
        }
        return end;
    }

    /** A recording that ended by itself (a full disk...): says so once. */
    void reportEndedRecording() {
        if (recorder != null && !recorder.status().running()) {
            stopRecording();
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return SafeText.printable(m.replace('\n', ' '));
    }

    /**
     * What the current view selects, as the syscall stream's selection: every process at the top
     * level without a filter; else the pids of the rows the view shows after its drill-down chain
     * and filters (read from its proc.pid column; with no row, the proc.pid its drill-down chain
     * requires; else from the source rows behind the table); null when that is no process at all.
     */
    EventSelection recordSelection() {
        if (stack.isEmpty() && global.isAll() && cur.userFilter.isAll()) {
            return EventSelection.everything(EventSelection.DEFAULT_SNAP);
        }
        Set<Integer> pids = new java.util.TreeSet<>();
        for (TableRow r : rows()) {
            if (r.value("proc.pid") instanceof Number n) {
                pids.add(n.intValue());
            }
        }
        if (pids.isEmpty()) {
            // a drill-down into a process that has no rows in this view (no connections yet): its selection says which
            longs(extraFilter().requiredValues().get("proc.pid")).forEach(p -> pids.add(p.intValue()));
        }
        if (pids.isEmpty() && snapshot != null && cur.view.column("proc.pid") == null) {
            for (Row r : ViewTable.sourceRows(cur.view, snapshot, extraFilter())) {
                if (r.get("proc.pid") instanceof Number n) {
                    pids.add(n.intValue());
                }
            }
        }
        pids.remove(0);
        return pids.isEmpty() ? null : EventSelection.processes(pids, EventSelection.DEFAULT_SNAP);
    }

    // ---- filter and search ----

    void applyFreeText(String text) {
        cur.userFilterText = text;
        cur.userFilterIsExpression = false;
        cur.userFilter = Filter.freeText(text);
        rebuild();
    }

    void clearUserFilter() {
        cur.userFilterText = "";
        cur.userFilterIsExpression = false;
        cur.userFilter = Filter.ALL;
        rebuild();
    }

    void applyExpression(Filter f) {
        cur.userFilter = f;
        cur.userFilterText = f.text();
        cur.userFilterIsExpression = true;
        rebuild();
    }

    /** Moves to the first row at or after {@code from} (wrapping) whose text contains the search. */
    boolean find(String text, int from) {
        if (window != null) {
            return window.find(text, from, windowWidth);
        }
        List<TableRow> r = rows();
        if (text.isEmpty() || r.isEmpty()) {
            return text.isEmpty();
        }
        String needle = text.toLowerCase(Locale.ROOT);
        for (int n = 0; n < r.size(); n++) {
            int i = Math.floorMod(from + n, r.size());
            if (String.join(" ", r.get(i).cells()).toLowerCase(Locale.ROOT).contains(needle)) {
                moveTo(i);
                return true;
            }
        }
        return false;
    }

    void searchNext() {
        if (search.isEmpty()) {
            message("No search: press " + keymap.label(Command.SEARCH) + " first", false);
        } else if (!find(search, window != null ? window.found + 1 : cur.selected + 1)) {
            message("not found: " + search, false);
        }
    }

    // ---- actions ----

    void runAction(ActionDef a) {
        if (readonly) {
            message("read-only mode: actions are disabled", true);
            return;
        }
        TableRow row = selectedRow();
        if (row == null) {
            return;
        }
        String cmd;
        try {
            cmd = a.commandFor(row);
        } catch (IllegalArgumentException e) {
            message(e.getMessage(), true);
            return;
        }
        String result = actions.run(a, cmd);
        fullRedraw = true;
        if (result != null) {
            message(result, false);
        }
    }

    /** The action of the current view bound to a plain character, when the table has a selection. */
    ActionDef actionFor(char c) {
        if (selectedRow() == null) {
            return null;
        }
        return cur.view.action(String.valueOf(c));
    }
}
