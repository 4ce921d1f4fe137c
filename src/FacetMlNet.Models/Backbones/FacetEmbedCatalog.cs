using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace FacetMlNet.Models.Backbones;

/// <summary>Input of the <c>FacetEmbed</c> transform: one grey crop, 224 × 224 values in 0–1, row-major.</summary>
public sealed class FacetEmbedInput
{
    /// <summary>The crop.</summary>
    [VectorType(ResNet18Backbone.InputSize * ResNet18Backbone.InputSize)]
    public float[] Image { get; set; } = [];
}

/// <summary>Output of the <c>FacetEmbed</c> transform.</summary>
public sealed class FacetEmbedOutput
{
    /// <summary>The 512-d ResNet18 embedding.</summary>
    [VectorType(ResNet18Backbone.EmbeddingSize)]
    public float[] Embedding { get; set; } = [];
}

/// <summary>
/// The ResNet18 backbone as an ML.NET custom mapping, registered under a contract name so a saved pipeline that
/// contains it loads again (after <see cref="FacetEmbedCatalog.RegisterFacetMlNet"/>). It embeds row by row on the CPU;
/// for whole cohorts <see cref="JointEmbedder"/> batches and caches.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class FacetEmbedMappingFactory : CustomMappingFactory<FacetEmbedInput, FacetEmbedOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "FacetMlNet.FacetEmbed.ResNet18";

    private static readonly Lazy<ResNet18Backbone> Backbone = new(() => ResNet18Backbone.Load(new BackboneOptions { BatchSize = 1 }));
    private static readonly Lock Gate = new();

    /// <inheritdoc />
    public override Action<FacetEmbedInput, FacetEmbedOutput> GetMapping() => (input, output) =>
    {
        // One ONNX Runtime session shared by every cursor; its Run is thread-safe but the call counter is not.
        lock (Gate) output.Embedding = Backbone.Value.Embed([input.Image])[0];
    };
}

/// <summary>ML.NET catalog extensions of FacetMlNet, in the style of <c>mlContext.Transforms.*</c>.</summary>
public static class FacetEmbedCatalog
{
    /// <summary>
    /// Adds the ResNet18 embedding: reads the float column <c>Image</c> (224 × 224 grey crop, 0–1) and writes
    /// <c>Embedding</c> (512 floats). Rename columns around it with <c>CopyColumns</c> where needed.
    /// </summary>
    public static CustomMappingEstimator<FacetEmbedInput, FacetEmbedOutput> FacetEmbed(this TransformsCatalog catalog) =>
        catalog.CustomMapping(new FacetEmbedMappingFactory().GetMapping(), FacetEmbedMappingFactory.ContractName);

    /// <summary>Registers FacetMlNet's transforms so that <c>mlContext.Model.Load</c> finds them.</summary>
    public static MLContext RegisterFacetMlNet(this MLContext ml)
    {
        ml.ComponentCatalog.RegisterAssembly(typeof(FacetEmbedMappingFactory).Assembly);
        return ml;
    }
}
