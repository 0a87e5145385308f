package org.snnc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.snnc.compiler.ir.Shape;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.runtime.data.Dataset;
import org.snnc.runtime.data.Split;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.model.Init;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.ModelOptions;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Seeds;
import org.snnc.runtime.predict.Images;
import org.snnc.runtime.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Segment images with trained weights: per image DIR/<name>.png (class map, VOC palette),",
                "DIR/<name>.logits.safetensors (F32 [C,H,W]) and, with labels, DIR/<name>.triplet.png",
                "(image | prediction | truth)."})
final class PredictCommand implements Callable<Integer> {

    /** Keeps prediction's encoding streams apart from training's and evaluation's. */
    private static final long PREDICT_STREAM = 0x9ED1C7L;

    enum SplitKind { train, val }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .snn file.")
    Path file;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "IMAGE",
            description = "PNG or JPEG images, resized bilinearly to the network's input.")
    List<Path> images = new ArrayList<>();

    @Mixin
    ParamOptions params;

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "A .safetensors file, or a run directory holding checkpoint.safetensors.")
    Path weights;

    // Checked in call() rather than by picocli, so a missing -o is a user error (exit 1) with a plain message.
    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Directory for the outputs (created).")
    Path output;

    @Option(names = "--labels", arity = "1..*", paramLabel = "LABEL.png",
            description = "Palette-indexed label PNGs, one per IMAGE in order: adds a triplet per image.")
    List<Path> labels = new ArrayList<>();

    @Option(names = "--data", paramLabel = "SPEC", description = "Take the images and labels from a data set instead.")
    String data;

    @Option(names = "--samples", defaultValue = "4", paramLabel = "N",
            description = "With --data: the first N samples of the split (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--split", defaultValue = "val", description = "With --data: train or val (default ${DEFAULT-VALUE}).")
    SplitKind split;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the input encoding (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (output == null) {
            throw new UserError("predict needs -o DIR, the directory for the class maps and logits");
        }
        if ((data == null) == images.isEmpty()) {
            throw new UserError(data == null ? "give IMAGE files or --data SPEC to predict on"
                    : "give either IMAGE files or --data SPEC, not both");
        }
        if (!labels.isEmpty() && labels.size() != images.size()) {
            throw new UserError("--labels gives " + labels.size() + " label maps for " + images.size() + " images");
        }
        if (samples < 1) {
            throw new UserError("--samples must be positive, got " + samples);
        }
        TrainingSetup setup = data != null
                ? TrainingSetup.of(file, params.values(), data, new ModelOptions(seed, Init.XAVIER), err)
                : withoutData(err);
        setup.loadWeights(weights, err);
        Network net = setup.net();
        Shape in = net.inputShape();
        Shape o = net.outputShape();
        if (o.height() < 2 && o.width() < 2) {
            throw new UserError("output '" + net.outputName() + "' is " + o + ": predict needs a [classes, H, W] map");
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UserError("cannot create " + output + ": " + e.getMessage());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "snnc-logits-1");
        metadata.put("network", setup.ir().network());
        metadata.put("source_sha256", setup.ir().sources().get(0).sha256());
        List<Item> items = data != null ? fromData(setup.data(), in) : fromFiles(in, o);
        try (Parallel par = new Parallel(threads.count())) {
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                Predictor.Prediction p = Predictor.predict(net, item.image(), Seeds.mix(seed, PREDICT_STREAM, i), par);
                Map<String, String> meta = new LinkedHashMap<>(metadata);
                meta.put("image", item.source());
                Predictor.Written w = Predictor.write(output, item.name(), item.image(), in.channels(), in.height(),
                        in.width(), p, item.labels(), meta);
                out.println(item.source() + " -> " + w.classMap() + (w.triplet() != null ? ", " + w.triplet() : ""));
            }
        } catch (IOException e) {
            throw new UserError("cannot write to " + output + ": " + e.getMessage());
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** One input: its output name, where it came from, {@code [C][H][W]} pixels, labels at the output size or null. */
    private record Item(String name, String source, float[] image, int[] labels) {
    }

    /** The network alone, as {@link TrainingSetup#of} builds it but with no data set to agree with. */
    private TrainingSetup withoutData(PrintWriter err) {
        SpikingIr ir = params.compile(file, err);
        try {
            return new TrainingSetup(ir, null, Network.build(ir, new ModelOptions(seed, Init.XAVIER)));
        } catch (ModelException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }

    private List<Item> fromFiles(Shape in, Shape out) {
        List<Item> items = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            String base = image.getFileName().toString();
            String name = base.contains(".") ? base.substring(0, base.lastIndexOf('.')) : base;
            if (!names.add(name)) {
                throw new UserError("two images are named '" + name + "'; their outputs would overwrite each other");
            }
            try {
                float[] pixels = Images.readImage(image, in.channels(), in.height(), in.width());
                int[] truth = labels.isEmpty() ? null : Images.readLabels(labels.get(i), out.height(), out.width());
                items.add(new Item(name, image.toString(), pixels, truth));
            } catch (Images.ImageException e) {
                throw new UserError(e.getMessage());
            }
        }
        return items;
    }

    private List<Item> fromData(Dataset d, Shape in) {
        Split s = split == SplitKind.train ? Split.TRAIN : Split.VAL;
        int n = Math.min(samples, d.size(s));
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] image = new float[(int) (in.channels() * (long) in.height() * in.width())];
            // TrainingSetup has checked that the labels have the output's size.
            int[] truth = new int[in.height() * in.width()];
            d.read(s, i, image, 0, truth, 0);
            items.add(new Item(String.format(java.util.Locale.ROOT, "%s-%04d", s.keyword(), i), d.spec() + " " + s.keyword() + " #" + i, image,
                    truth));
        }
        return items;
    }
}
