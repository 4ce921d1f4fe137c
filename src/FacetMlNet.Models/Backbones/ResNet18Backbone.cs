using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FacetMlNet.Models.Backbones;

/// <summary>
/// The ImageNet ResNet-18 shipped in Microsoft.ML.DnnImageFeaturizer.ResNet18 (a CNTK export), run by ONNX Runtime:
/// a grey crop in 0–1 becomes 3 planar channels of 0–255, the package's own preprocessing model turns that into
/// BGR minus the mean image, and the network's pooled 512-d output is the embedding.
/// </summary>
public sealed class ResNet18Backbone : IDisposable
{
    /// <summary>Input side in pixels.</summary>
    public const int InputSize = 224;

    /// <summary>Length of an embedding.</summary>
    public const int EmbeddingSize = 512;

    private readonly InferenceSession _preprocess;
    private readonly InferenceSession _network;
    private readonly string _preprocessInput, _preprocessOutput, _networkInput, _networkOutput;

    private ResNet18Backbone(BackboneOptions options, string modelDirectory)
    {
        Options = options;
        var networkPath = Path.Combine(modelDirectory, "ResNet18Onnx", "ResNet18.onnx");
        var preprocessPath = Path.Combine(modelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        var networkBytes = File.ReadAllBytes(networkPath);
        Fingerprint = "resnet18:" + Convert.ToHexStringLower(SHA256.HashData(networkBytes).AsSpan(0, 8));
        using var sessionOptions = CreateSessionOptions(options, out var provider);
        ExecutionProvider = provider;
        _preprocess = new InferenceSession(OnnxBatchDimension.MakeSymbolic(File.ReadAllBytes(preprocessPath)), sessionOptions);
        _network = new InferenceSession(OnnxBatchDimension.MakeSymbolic(networkBytes), sessionOptions);
        _preprocessInput = _preprocess.InputMetadata.Keys.Single();
        _preprocessOutput = _preprocess.OutputMetadata.Keys.Single();
        _networkInput = _network.InputMetadata.Keys.Single();
        _networkOutput = _network.OutputMetadata.Keys.Single();
    }

    /// <summary>The settings.</summary>
    public BackboneOptions Options { get; }

    /// <summary>Identifies the weights: part of every embedding cache key.</summary>
    public string Fingerprint { get; }

    /// <summary>The execution provider in use: <c>CPU</c> or <c>CUDA</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Number of ONNX Runtime network calls made so far (for cache tests and benchmarks).</summary>
    public int NetworkCalls { get; private set; }

    /// <summary>Loads the backbone.</summary>
    /// <exception cref="FileNotFoundException">The ONNX files are not where <see cref="BackboneOptions.ModelDirectory"/> says.</exception>
    public static ResNet18Backbone Load(BackboneOptions? options = null)
    {
        options ??= new BackboneOptions();
        var dir = options.ModelDirectory ?? FindModelDirectory();
        var network = Path.Combine(dir, "ResNet18Onnx", "ResNet18.onnx");
        if (!File.Exists(network)) throw new FileNotFoundException($"ResNet18.onnx not found under {dir} (restore Microsoft.ML.DnnImageFeaturizer.ResNet18).", network);
        return new ResNet18Backbone(options, dir);
    }

    /// <summary>The package's model folder: copied next to the application by its build props, or in the NuGet cache.</summary>
    public static string FindModelDirectory()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
        if (File.Exists(Path.Combine(local, "ResNet18Onnx", "ResNet18.onnx"))) return local;
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(nuget, "microsoft.ml.dnnimagefeaturizer.resnet18");
        if (Directory.Exists(package))
            foreach (var version in Directory.GetDirectories(package).OrderDescending(StringComparer.Ordinal))
            {
                var candidate = Path.Combine(version, "tools", "DnnImageModels");
                if (File.Exists(Path.Combine(candidate, "ResNet18Onnx", "ResNet18.onnx"))) return candidate;
            }
        throw new FileNotFoundException($"The ResNet18 ONNX model was found neither in {local} nor in {package}. Reference Microsoft.ML.DnnImageFeaturizer.ResNet18 or set BackboneOptions.ModelDirectory.");
    }

    /// <summary>Embeds grey crops (each 224 × 224 values in 0–1, row-major) into 512-d vectors.</summary>
    /// <exception cref="ArgumentException">A crop of the wrong size.</exception>
    public float[][] Embed(IReadOnlyList<float[]> crops)
    {
        const int plane = InputSize * InputSize;
        foreach (var crop in crops)
            if (crop.Length != plane) throw new ArgumentException($"A crop must hold {plane} values ({InputSize}²), got {crop.Length}.", nameof(crops));
        var result = new float[crops.Count][];
        for (var start = 0; start < crops.Count; start += Options.BatchSize)
        {
            var count = Math.Min(Options.BatchSize, crops.Count - start);
            var input = new DenseTensor<float>([count, 3, InputSize, InputSize]);
            var buffer = input.Buffer.Span;
            for (var b = 0; b < count; b++)
            {
                var crop = crops[start + b];
                for (var c = 0; c < 3; c++)
                {
                    var dst = buffer.Slice((b * 3 + c) * plane, plane);
                    for (var i = 0; i < plane; i++) dst[i] = crop[i] * 255f; // grey replicated into R, G, B
                }
            }
            using var prepared = _preprocess.Run([NamedOnnxValue.CreateFromTensor(_preprocessInput, input)]);
            var preparedTensor = prepared.First().AsTensor<float>();
            using var output = _network.Run([NamedOnnxValue.CreateFromTensor(_networkInput, preparedTensor)]);
            NetworkCalls++;
            var features = output.First(o => o.Name == _networkOutput).AsTensor<float>();
            for (var b = 0; b < count; b++)
            {
                var embedding = new float[EmbeddingSize];
                for (var k = 0; k < EmbeddingSize; k++) embedding[k] = features[b, k, 0, 0];
                result[start + b] = embedding;
            }
        }
        return result;
    }

    private static SessionOptions CreateSessionOptions(BackboneOptions options, out string provider)
    {
        var s = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Math.Max(1, options.IntraOpThreads),
            InterOpNumThreads = 1,
        };
        provider = "CPU";
        if (options.Device == ComputeDevice.Cuda)
        {
            try
            {
                s.AppendExecutionProvider_CUDA();
                provider = "CUDA";
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                Console.Error.WriteLine($"warning: CUDA requested but not available in this ONNX Runtime ({e.Message.Split('\n')[0]}); using the CPU.");
            }
        }
        return s;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
    }
}
