package org.snnc.simulator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.snnc.compiler.io.AtomicFile;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.target.Quantity;
import org.snnc.simulator.Energy;
import org.snnc.simulator.SimReport;
import org.snnc.simulator.SimResult;

/**
 * The HTML page of a run: header and totals, spike rate per layer, energy by event kind, by
 * layer and by the paper's model, per-core heat maps of the board, and the tables behind every
 * chart. Self-contained (inline CSS and SVG, no scripts, fonts or images) and well-formed
 * XHTML. Every string from the program or the target goes through {@link Svg#esc}.
 */
public final class HtmlReport {

    /** The energy kinds of the target's event model, in the order of {@link #hardwareKinds}. */
    static final List<String> KINDS = List.of("synaptic ops", "neuron updates", "spikes out", "hops within tile",
            "hops east-west", "hops north-south", "hops inter-chip", "static");

    private final SimReport report;
    private final double wallSeconds;
    private final Program p;
    private final SimResult r;
    /** {@code [cores]} the population on each core, or -1 for a core without neurons. */
    private final int[] coreLayer;
    /** {@code [cores]} neurons placed on each core. */
    private final int[] coreNeurons;
    /** {@code [populations]} cores holding each population. */
    private final int[] layerCores;

    private HtmlReport(SimReport report, double wallSeconds) {
        this.report = report;
        this.wallSeconds = wallSeconds;
        this.p = report.program();
        this.r = report.result();
        int cores = p.cores().count();
        coreLayer = new int[cores];
        coreNeurons = new int[cores];
        java.util.Arrays.fill(coreLayer, -1);
        for (Program.Population pop : p.populations()) {
            for (int n = pop.offset(); n < pop.offset() + pop.size(); n++) {
                int k = p.cores().coreOfNeuron()[n];
                coreLayer[k] = pop.id();
                coreNeurons[k]++;
            }
        }
        layerCores = new int[p.populations().size()];
        for (int k = 0; k < cores; k++) if (coreLayer[k] >= 0) layerCores[coreLayer[k]]++;
    }

    /** The report's model of a run without rendering it, for tests of the numbers behind the charts. */
    static HtmlReport forTest(SimReport report) {
        return new HtmlReport(report, 0);
    }

    /** The page of a run that took {@code wallSeconds} on the host. */
    public static String render(SimReport report, double wallSeconds) {
        return new HtmlReport(report, wallSeconds).page();
    }

    /**
     * Writes the page to {@code file} atomically: into a temporary file beside it, then renamed
     * over it, so a reader (a browser reloading the file) never sees half a page.
     */
    public static void write(SimReport report, double wallSeconds, Path file) throws IOException {
        String page = render(report, wallSeconds);
        AtomicFile.write(file, tmp -> Files.writeString(tmp, page, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
    }

    /** Hardware energy of the run by kind, picojoules, in the order of {@link #KINDS}. */
    double[] hardwareKinds() {
        Energy.Hardware h = report.hardware();
        return new double[] {h.synapticOpsPj(), h.neuronUpdatesPj(), h.spikesPj(), h.hopsWithinTilePj(), h.hopsEastWestPj(),
            h.hopsNorthSouthPj(), h.hopsInterChipPj(), h.staticPj()};
    }

    /**
     * Hardware energy of each population's cores by the first seven kinds (static power belongs
     * to the chips, not to a layer): {@code [populations][7]} picojoules. Synaptic ops are charged
     * where performed, spikes and hops where they leave, as the per-core counters count them.
     */
    double[][] layerEnergy() {
        var e = report.target().energy();
        double[] unit = {e.synapticOp().value(), e.neuronUpdate().value(), e.spikeOut().value(), e.hopWithinTile().value(),
            e.hopEastWest().value(), e.hopNorthSouth().value(), report.target().board().interChipHopEnergy().value()};
        SimResult.CoreCounters c = r.core();
        double[][] out = new double[p.populations().size()][7];
        for (int k = 0; k < p.cores().count(); k++) {
            if (coreLayer[k] < 0) continue;
            long[] counts = {c.synOps()[k], c.updates()[k], c.spikes()[k], c.hopsWithinTile()[k], c.hopsEastWest()[k],
                c.hopsNorthSouth()[k], c.hopsInterChip()[k]};
            for (int i = 0; i < 7; i++) out[coreLayer[k]][i] += counts[i] * unit[i];
        }
        return out;
    }

    private String page() {
        StringBuilder b = new StringBuilder(1 << 16);
        String title = p.header().network() + " on " + report.target().name() + " — snnc sim report";
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
                .append("<title>").append(Svg.esc(title)).append("</title><style>").append(CSS).append("</style></head><body>");
        header(b);
        spikeRates(b);
        energy(b);
        mesh(b);
        hostAndNotes(b);
        b.append("<footer>Written by <code>snnc sim --report</code>. Counts are exact; energies are the counts times the constants listed with their sources. ")
                .append("Hover over a bar or a core for its numbers.</footer>");
        b.append("</body></html>\n");
        return b.toString();
    }

    // ---- header and totals ----

    private void header(StringBuilder b) {
        Program.Header h = p.header();
        b.append("<header><h1>").append(Svg.esc(h.network())).append(" <span class=\"on\">on</span> ")
                .append(Svg.esc(report.target().name())).append("</h1>");
        b.append("<p class=\"sub\">").append(Svg.esc(report.target().description())).append("</p>");
        b.append("<dl class=\"meta\">");
        meta(b, "engine", report.engine());
        meta(b, "timesteps", r.steps() + (r.interrupted() ? " (interrupted; program has " + h.timesteps() + ")" : ""));
        meta(b, "input", "Poisson, rate " + report.inputRate() + ", seed " + report.inputSeed());
        meta(b, "weights seed", Long.toString(h.seed()));
        meta(b, "placed", Fmt.count(p.neurons()) + " neurons, " + Fmt.count(p.synapses().count()) + " synapses on "
                + Fmt.count(p.cores().count()) + " cores of " + report.hardware().chipsUsed() + " chip(s)");
        int boardChips = p.mesh().chipsX() * p.mesh().chipsY();
        // The program's board differs from the description's when the mapping grew it to fit.
        if (boardChips != report.target().board().chips()) {
            meta(b, "board", p.mesh().chipsX() + " x " + p.mesh().chipsY() + " chips, grown from the target's "
                    + report.target().board().chips() + " to hold the network");
        }
        meta(b, "wall time", String.format(Locale.ROOT, "%.3f s (%s synaptic events per second)", wallSeconds,
                Fmt.sig(r.totalSynOps() / Math.max(wallSeconds, 1e-9))));
        b.append("<dt>sources</dt><dd>");
        if (h.sources().isEmpty()) b.append("none recorded");
        for (Program.SourceHash s : h.sources()) {
            b.append("<div><code>").append(Svg.esc(s.path())).append("</code> <span class=\"hash\">sha256 ")
                    .append(Svg.esc(s.sha256())).append("</span></div>");
        }
        b.append("</dd></dl></header>");

        Energy.Hardware hw = report.hardware();
        String tick = report.costs().clocked() ? "cycles" : "ps";
        b.append("<section><h2>Totals</h2><div class=\"cards\">");
        card(b, "spikes", Fmt.count(r.totalSpikes()), "+ " + Fmt.count(r.totalInputSpikes()) + " input spikes");
        card(b, "synaptic ops", Fmt.count(r.totalSynOps()), "accumulates (ACs) performed");
        card(b, "neuron updates", Fmt.count(r.totalUpdates()), "every neuron, every step");
        card(b, "hops", Fmt.count(r.totalHops()), "tile " + Fmt.count(r.hopsWithinTile()) + " · E-W " + Fmt.count(r.hopsEastWest())
                + " · N-S " + Fmt.count(r.hopsNorthSouth()) + " · chip " + Fmt.count(r.hopsInterChip()));
        card(b, "latency", Fmt.time(hw.timeNs()), Fmt.count(r.totalTicks()) + " " + tick + "; "
                + Fmt.time(r.steps() == 0 ? 0 : hw.timeNs() / r.steps()) + " per step");
        card(b, "hardware energy", Fmt.energy(hw.totalPj()), "event model of " + report.target().name() + ", incl. static");
        card(b, "paper E_ANN / E_SNN", Fmt.sig(report.paper().ratio()), Fmt.energy(report.paper().annPj()) + " / "
                + Fmt.energy(report.paper().snnPj()));
        b.append("</div></section>");
    }

    private static void meta(StringBuilder b, String key, String value) {
        b.append("<dt>").append(Svg.esc(key)).append("</dt><dd>").append(Svg.esc(value)).append("</dd>");
    }

    private static void card(StringBuilder b, String label, String value, String detail) {
        b.append("<div class=\"card\"><div class=\"label\">").append(Svg.esc(label)).append("</div><div class=\"value\">")
                .append(Svg.esc(value)).append("</div><div class=\"detail\">").append(Svg.esc(detail)).append("</div></div>");
    }

    // ---- spike rates ----

    private void spikeRates(StringBuilder b) {
        int steps = r.steps();
        List<String> names = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<String> readouts = new ArrayList<>();
        for (Program.Population pop : p.populations()) {
            // Joined compartments and relays carry their soma's inputs; they are not layers of their own.
            if (pop.kind() != Program.Kind.NEURONS) continue;
            // Integrators never spike: a bar of zero would read as a silent layer, so they are named below instead.
            if (pop.params().integrator()) {
                readouts.add(pop.layer());
                continue;
            }
            names.add(pop.layer());
            rates.add(report.spikeRate(pop.id()));
        }
        double[] values = new double[rates.size()];
        for (int i = 0; i < values.length; i++) values[i] = rates.get(i);
        b.append("<section><h2>Spike rate per layer</h2>");
        b.append("<p class=\"caption\">Rate = spikes of the layer summed over all ").append(steps)
                .append(" time steps / neurons of the layer (the seed paper's Eq. 8 and Fig. 11, so 0..").append(steps)
                .append("). The right axis reads the same bars as the probability that a neuron fires at one step (rate / ")
                .append(steps).append(").");
        if (!readouts.isEmpty()) {
            b.append(" Not drawn: the non-spiking readout").append(readouts.size() > 1 ? "s " : " ")
                    .append(Svg.esc(String.join(", ", readouts))).append('.');
        }
        b.append("</p>");
        if (names.isEmpty()) {
            b.append("<p>No spiking layer.</p>");
        } else {
            BarChart chart = new BarChart(names, List.of(new BarChart.Series("spike rate (spikes per neuron over the run)",
                    Palette.CATEGORY[0], values)), "layer", "spike rate (spikes / neuron)", Fmt::sig);
            if (steps > 0) {
                chart.secondAxis(new BarChart.SecondAxis(1.0 / steps, "firing probability per step (%)",
                        v -> Fmt.sig(100 * v)));
            }
            b.append("<figure id=\"spike-rates\">").append(chart.svg("spike rate per layer")).append("</figure>");
        }
        Table t = new Table("layer", "neurons", "cores", "spikes", "synaptic ops", "neuron updates", "spike rate", "per-step probability");
        for (int g = 0; g < p.inputs().size(); g++) {
            Program.InputGroup ig = p.inputs().get(g);
            double rate = (double) r.inputSpikes()[g] / ig.count();
            t.row(ig.name() + " (input)", Fmt.count(ig.count()), "–", Fmt.count(r.inputSpikes()[g]), "–", "–", Fmt.sig(rate),
                    steps == 0 ? "–" : Fmt.percent(rate / steps));
        }
        for (Program.Population pop : p.populations()) {
            int i = pop.id();
            double rate = report.spikeRate(i);
            boolean silent = pop.params().integrator() || pop.compartments();
            t.row(pop.layer() + (pop.compartments() ? " (joined compartments)" : pop.relays() ? " (relays)"
                    : pop.params().integrator() ? " (readout)" : ""),
                    Fmt.count(pop.size()), Fmt.count(layerCores[i]),
                    Fmt.count(r.popSpikes()[i]), Fmt.count(r.popSynOps()[i]), Fmt.count(r.popUpdates()[i]),
                    silent ? "–" : Fmt.sig(rate), silent || steps == 0 ? "–" : Fmt.percent(rate / steps));
        }
        t.total("total", Fmt.count(p.neurons()), Fmt.count(p.cores().count()), Fmt.count(r.totalSpikes()), Fmt.count(r.totalSynOps()),
                Fmt.count(r.totalUpdates()), "", "");
        b.append(t.html());
        b.append("</section>");
    }

    // ---- energy ----

    private void energy(StringBuilder b) {
        Energy.Hardware hw = report.hardware();
        var e = report.target().energy();
        b.append("<section><h2>Energy</h2>");
        b.append("<h3>(a) By event kind — ").append(Svg.esc(report.target().name())).append(" event model, total ")
                .append(Svg.esc(Fmt.energy(hw.totalPj()))).append("</h3>");
        double[] kinds = hardwareKinds();
        b.append("<figure id=\"energy-kinds\">").append(new StackedBars(List.of("run"), KINDS, new double[][] {kinds}, "energy")
                .svg("energy by event kind", 1100)).append("</figure>");
        long[] counts = {r.totalSynOps(), r.totalUpdates(), r.totalSpikes(), r.hopsWithinTile(), r.hopsEastWest(), r.hopsNorthSouth(),
            r.hopsInterChip()};
        Quantity[] constants = {e.synapticOp(), e.neuronUpdate(), e.spikeOut(), e.hopWithinTile(), e.hopEastWest(), e.hopNorthSouth(),
            report.target().board().interChipHopEnergy(), e.staticPower()};
        Table t = new Table("kind", "count", "constant", "energy", "share", "source of the constant");
        for (int k = 0; k < KINDS.size(); k++) {
            String count = k < 7 ? Fmt.count(counts[k]) : hw.chipsUsed() + " chip(s) x " + Fmt.time(hw.timeNs());
            t.row(swatch(k) + Svg.esc(KINDS.get(k)), count, constant(constants[k]), Fmt.energy(kinds[k]),
                    Fmt.percent(hw.totalPj() > 0 ? kinds[k] / hw.totalPj() : 0), constants[k].source());
            t.markupInFirstCell();
        }
        t.total("total", "", "", Fmt.energy(hw.totalPj()), "", "");
        b.append(t.html());

        double[][] perLayer = layerEnergy();
        List<String> layers = new ArrayList<>();
        for (Program.Population pop : p.populations()) layers.add(pop.layer());
        b.append("<h3>(b) By layer — the energy of each layer's cores</h3>");
        b.append("<p class=\"caption\">Synaptic ops are charged to the layer whose neurons receive them, spikes and hops to the layer that sends them. ")
                .append("Static power (").append(Svg.esc(Fmt.energy(hw.staticPj())))
                .append(") belongs to the chips and is not split among layers.</p>");
        if (!layers.isEmpty()) {
            b.append("<figure id=\"energy-layers\">").append(new StackedBars(layers, KINDS.subList(0, 7), perLayer, "energy")
                    .svg("energy by layer", 1100)).append("</figure>");
        }
        Table lt = new Table("layer", "synaptic ops", "neuron updates", "spikes out", "hops", "total", "share of dynamic");
        double dynamic = hw.totalPj() - hw.staticPj();
        for (int i = 0; i < layers.size(); i++) {
            double[] v = perLayer[i];
            double sum = 0;
            for (double x : v) sum += x;
            lt.row(layers.get(i), Fmt.energy(v[0]), Fmt.energy(v[1]), Fmt.energy(v[2]), Fmt.energy(v[3] + v[4] + v[5] + v[6]),
                    Fmt.energy(sum), Fmt.percent(dynamic > 0 ? sum / dynamic : 0));
        }
        lt.total("static (board)", "", "", "", "", Fmt.energy(hw.staticPj()), "");
        b.append(lt.html());

        paper(b);
        b.append("</section>");
    }

    private static String swatch(int kind) {
        return "<span class=\"swatch\" style=\"background:" + StackedBars.color(kind) + "\"></span>";
    }

    private static String constant(Quantity q) {
        return Fmt.sig(q.value()) + " " + q.unit();
    }

    private void paper(StringBuilder b) {
        Energy.Paper paper = report.paper();
        b.append("<h3>(c) The seed paper's estimate: E_ANN ").append(Svg.esc(Fmt.energy(paper.annPj()))).append(" vs E_SNN ")
                .append(Svg.esc(Fmt.energy(paper.snnPj()))).append(", ratio E_ANN / E_SNN = ")
                .append(Svg.esc(Fmt.sig(paper.ratio()))).append("</h3>");
        b.append("<p class=\"caption\">Eq. 9–12: E_ANN = Σ FLOPs(l) · E_MAC for one ANN pass; E_SNN = Σ FLOPs(l) · R(l) · E_AC, ")
                .append("R(l) the measured spike rate of the layer's input over the run. Layers reading an input are charged ")
                .append(paper.firstLayerMac() ? "as one ANN pass of MACs (<code>--first-layer mac</code>)."
                        : "as ACs at the input's spike rate (<code>--first-layer ac</code>, the default).")
                .append("</p>");
        List<String> names = new ArrayList<>();
        double[] ann = new double[paper.layers().size()];
        double[] snn = new double[paper.layers().size()];
        double max = 0;
        for (int i = 0; i < paper.layers().size(); i++) {
            Energy.PaperLayer l = paper.layers().get(i);
            names.add(l.name());
            ann[i] = l.annPj();
            snn[i] = l.snnPj();
            max = Math.max(max, Math.max(ann[i], snn[i]));
        }
        if (!names.isEmpty()) {
            Fmt.Unit unit = Fmt.energyUnit(max);
            double[] annU = scaled(ann, unit.scale());
            double[] snnU = scaled(snn, unit.scale());
            BarChart chart = new BarChart(names, List.of(new BarChart.Series("E_ANN (FLOPs x E_MAC)", Palette.CATEGORY[6], annU),
                    new BarChart.Series("E_SNN (FLOPs x R x E_AC)", Palette.CATEGORY[0], snnU)), "synaptic layer",
                    "energy (" + unit.name() + ")", Fmt::sig);
            b.append("<figure id=\"energy-paper\">").append(chart.svg("paper energy per layer")).append("</figure>");
        }
        Table t = new Table("layer", "FLOPs (Eq. 9)", "input rate R(l)", "charged as", "E_ANN", "E_SNN", "E_ANN / E_SNN");
        for (Energy.PaperLayer l : paper.layers()) {
            t.row(l.name(), Fmt.count(l.flops()), Fmt.sig(l.rate()), l.mac() ? "MAC" : "AC", Fmt.energy(l.annPj()), Fmt.energy(l.snnPj()),
                    l.snnPj() > 0 ? Fmt.sig(l.annPj() / l.snnPj()) : "∞");
        }
        t.total("total", "", "", "", Fmt.energy(paper.annPj()), Fmt.energy(paper.snnPj()), Fmt.sig(paper.ratio()));
        b.append(t.html());
        Table c = new Table("constant", "value", "source");
        c.row("E_MAC", constant(paper.eMac()), paper.eMac().source());
        c.row("E_AC", constant(paper.eAc()), paper.eAc().source());
        b.append(c.html());
    }

    private static double[] scaled(double[] v, double scale) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) o[i] = v[i] / scale;
        return o;
    }

    // ---- the mesh ----

    private void mesh(StringBuilder b) {
        Program.Mesh m = p.mesh();
        SimResult.CoreCounters c = r.core();
        int cores = p.cores().count();
        int[] slot = HeatMap.slots(m, p.cores());
        long total = r.totalTicks();
        int maxNeurons = report.target().core().maxNeurons().value();
        String[] tips = new String[cores];
        double[] synops = new double[cores];
        double[] packets = new double[cores];
        for (int k = 0; k < cores; k++) {
            synops[k] = c.synOps()[k];
            packets[k] = c.packets()[k];
            tips[k] = "core " + k + " · chip " + p.cores().chip()[k] + ", tile (" + p.cores().x()[k] + ", " + p.cores().y()[k] + "), slot "
                    + slot[k] + "\nlayer " + layerName(k) + ": " + coreNeurons[k] + " of " + maxNeurons + " neurons"
                    + "\nsynaptic ops " + Fmt.count(c.synOps()[k]) + "\nspikes " + Fmt.count(c.spikes()[k]) + ", packets sent "
                    + Fmt.count(c.packets()[k]) + "\nhops sent: tile " + Fmt.count(c.hopsWithinTile()[k]) + ", E-W "
                    + Fmt.count(c.hopsEastWest()[k]) + ", N-S " + Fmt.count(c.hopsNorthSouth()[k]) + ", chip "
                    + Fmt.count(c.hopsInterChip()[k]) + "\nbusy " + Fmt.count(c.busyTicks()[k]) + " of " + Fmt.count(total) + " "
                    + (report.costs().clocked() ? "cycles" : "ps") + " (" + Fmt.percent(total > 0 ? (double) c.busyTicks()[k] / total : 0) + ")";
        }
        b.append("<section><h2>Cores on the mesh</h2>");
        b.append("<p class=\"caption\">Each chip is its ").append(m.meshWidth()).append(" x ").append(m.meshHeight())
                .append(" mesh of tiles (tile x to the right, tile y down), each tile holding ").append(m.coresPerTile())
                .append(" core slot(s); one cell per placed core. Hover over a core for its layer and counts.</p>");
        b.append("<h3>Synaptic ops per core</h3>");
        b.append(new HeatMap(m, p.cores(), synops, tips, "synaptic ops per core", "synaptic ops").html("heat-synops"));
        b.append("<h3>Spikes routed: packets sent per core</h3>");
        b.append(new HeatMap(m, p.cores(), packets, tips, "packets sent per core", "packets").html("heat-packets"));

        b.append("<h3>Per layer: how the work spreads over its cores</h3>");
        Table t = new Table("layer", "cores", "neurons / core (max " + maxNeurons + ")", "synaptic ops / core: min", "mean", "max",
                "packets sent", "busy (mean of its cores)");
        for (Program.Population pop : p.populations()) {
            long min = Long.MAX_VALUE;
            long max = 0;
            long sum = 0;
            long pk = 0;
            long busy = 0;
            int n = 0;
            for (int k = 0; k < cores; k++) {
                if (coreLayer[k] != pop.id()) continue;
                n++;
                min = Math.min(min, c.synOps()[k]);
                max = Math.max(max, c.synOps()[k]);
                sum += c.synOps()[k];
                pk += c.packets()[k];
                busy += c.busyTicks()[k];
            }
            if (n == 0) continue;
            t.row(pop.layer(), Fmt.count(n), Fmt.sig((double) pop.size() / n), Fmt.count(min), Fmt.sig((double) sum / n), Fmt.count(max),
                    Fmt.count(pk), Fmt.percent(total > 0 ? (double) busy / n / total : 0));
        }
        b.append(t.html());

        b.append("<details><summary>All ").append(cores).append(" cores</summary>");
        Table all = new Table("core", "chip", "tile", "slot", "layer", "neurons", "synaptic ops", "spikes", "packets", "hops tile",
                "hops E-W", "hops N-S", "hops chip", "busy " + (report.costs().clocked() ? "cycles" : "ps"));
        for (int k = 0; k < cores; k++) {
            all.row(Integer.toString(k), Integer.toString(p.cores().chip()[k]), "(" + p.cores().x()[k] + ", " + p.cores().y()[k] + ")",
                    Integer.toString(slot[k]), layerName(k), Fmt.count(coreNeurons[k]), Fmt.count(c.synOps()[k]), Fmt.count(c.spikes()[k]),
                    Fmt.count(c.packets()[k]), Fmt.count(c.hopsWithinTile()[k]), Fmt.count(c.hopsEastWest()[k]),
                    Fmt.count(c.hopsNorthSouth()[k]), Fmt.count(c.hopsInterChip()[k]), Fmt.count(c.busyTicks()[k]));
        }
        b.append(all.html()).append("</details></section>");
    }

    private String layerName(int core) {
        return coreLayer[core] < 0 ? "(none)" : p.populations().get(coreLayer[core]).layer();
    }

    private void hostAndNotes(StringBuilder b) {
        if (p.host().isEmpty() && report.notes().isEmpty()) return;
        b.append("<section><h2>Host layers and notes</h2>");
        if (!p.host().isEmpty()) {
            Table t = new Table("host-side layer (not simulated)", "op", "reason");
            for (Program.HostLayer h : p.host()) t.row(h.name(), h.op(), h.reason());
            b.append(t.html());
        }
        if (!report.notes().isEmpty()) {
            b.append("<ul class=\"notes\">");
            for (String n : report.notes()) b.append("<li>").append(Svg.esc(n)).append("</li>");
            b.append("</ul>");
        }
        b.append("</section>");
    }

    /** An HTML table whose cells are escaped text; columns after the first are right-aligned numbers unless they hold words. */
    private static final class Table {
        private final String[] head;
        private final StringBuilder body = new StringBuilder();
        private final List<String[]> rows = new ArrayList<>();
        private final List<Boolean> markup = new ArrayList<>();
        private String[] total;

        Table(String... head) {
            this.head = head;
        }

        void row(String... cells) {
            if (cells.length != head.length) throw new IllegalArgumentException(cells.length + " cells for " + head.length + " columns");
            rows.add(cells);
            markup.add(false);
        }

        /** The last row's first cell is trusted markup (a colour swatch before escaped text). */
        void markupInFirstCell() {
            markup.set(markup.size() - 1, true);
        }

        void total(String... cells) {
            if (cells.length != head.length) throw new IllegalArgumentException(cells.length + " cells for " + head.length + " columns");
            total = cells;
        }

        String html() {
            body.setLength(0);
            body.append("<table><thead><tr>");
            for (String h : head) body.append("<th>").append(Svg.esc(h)).append("</th>");
            body.append("</tr></thead><tbody>");
            for (int i = 0; i < rows.size(); i++) line(rows.get(i), markup.get(i), "");
            if (total != null) line(total, false, " class=\"total\"");
            body.append("</tbody></table>");
            return body.toString();
        }

        private void line(String[] cells, boolean firstIsMarkup, String attr) {
            body.append("<tr").append(attr).append('>');
            for (int j = 0; j < cells.length; j++) {
                String c = cells[j];
                boolean text = j == 0 || c.isEmpty() || !Character.isDigit(c.charAt(0)) && c.charAt(0) != '(' && c.charAt(0) != '–'
                        && c.charAt(0) != '∞' || head[j].startsWith("source");
                body.append(text ? "<td>" : "<td class=\"num\">");
                body.append(j == 0 && firstIsMarkup ? c : Svg.esc(c));
                body.append("</td>");
            }
            body.append("</tr>");
        }
    }

    private static final String CSS = """
            :root { --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --band: #f6f8fa; }
            * { box-sizing: border-box; }
            body { margin: 0 auto; max-width: 1160px; padding: 24px 28px 40px; color: var(--ink); background: #fff;
                   font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif; }
            h1 { font-size: 26px; margin: 0 0 2px; } h1 .on { color: var(--muted); font-weight: 400; }
            h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
            h3 { font-size: 15px; margin: 20px 0 6px; }
            .sub { margin: 0 0 12px; color: var(--muted); }
            dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
            dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
            .hash { color: var(--muted); font: 12px ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
            code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; }
            .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(205px, 1fr)); gap: 10px; }
            .card { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px; background: var(--band); }
            .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
            .card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
            .card .detail { color: var(--muted); font-size: 12px; }
            .caption { color: var(--muted); margin: 4px 0 8px; max-width: 980px; }
            figure { margin: 6px 0 10px; overflow-x: auto; }
            table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
            th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
            th { background: var(--band); font-weight: 600; }
            td:first-child { white-space: nowrap; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr.total td { font-weight: 600; border-top: 2px solid var(--rule); }
            .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
            .heatmap .chips { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 6px; }
            .heatmap svg { display: block; }
            .heatmap > svg { display: inline-block; vertical-align: top; margin-right: 28px; }
            details summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
            ul.notes { color: var(--muted); }
            footer { margin-top: 34px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--rule); padding-top: 8px; }
            svg text { fill: var(--ink); font-family: inherit; }
            svg .tick { font-size: 11px; fill: var(--muted); }
            svg .cat { font-size: 12px; }
            svg .legend { font-size: 12px; }
            svg .value { font-size: 11px; fill: var(--ink); }
            svg .axis-label { font-size: 12px; fill: var(--muted); }
            svg .chip-label { font-size: 12px; font-weight: 600; }
            svg .axis { stroke: #57606a; stroke-width: 1; }
            svg .grid { stroke: #e5e8eb; stroke-width: 1; }
            svg .chip-frame { fill: #fafbfc; stroke: #8c959f; stroke-width: 1; }
            svg rect.bar:hover, svg rect.segment:hover, svg rect.core:hover, svg rect.chip:hover { stroke: #000; stroke-width: 1.5; }
            """;
}
