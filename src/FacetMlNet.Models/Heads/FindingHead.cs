using FacetMlNet.Domain;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FacetMlNet.Models.Heads;

/// <summary>A trained head: grade probabilities of one target from an embedding.</summary>
public sealed class FindingHead
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    internal FindingHead(MLContext ml, GradingTarget target, ITransformer model, string description)
    {
        _ml = ml;
        Target = target;
        _model = model;
        Description = description;
    }

    private sealed class Input
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = [];
    }

    /// <summary>The target this head grades.</summary>
    public GradingTarget Target { get; }

    /// <summary>Trainer and chosen settings, for reports.</summary>
    public string Description { get; }

    /// <summary>Probabilities of grades 0 … GradeCount − 1 for each embedding.</summary>
    public float[][] PredictProbabilities(IReadOnlyList<float[]> embeddings)
    {
        if (embeddings.Count == 0) return [];
        var schema = SchemaDefinition.Create(typeof(Input));
        schema[nameof(Input.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, embeddings[0].Length);
        var data = _ml.Data.LoadFromEnumerable(embeddings.Select(e => new Input { Features = e }), schema);
        var scored = _model.Transform(data);
        CheckSlotOrder(scored.Schema["Score"]);
        var result = _ml.Data.CreateEnumerable<Output>(scored, reuseRowObject: false).Select(o => o.Score).ToArray();
        foreach (var p in result)
            if (p.Length != Target.GradeCount) throw new InvalidOperationException($"{Target}: the head scored {p.Length} grades, expected {Target.GradeCount}.");
        return result;
    }

    /// <summary>Score slots are named by their key values: slot k must be grade k, or every prediction is shifted.</summary>
    private void CheckSlotOrder(DataViewSchema.Column score)
    {
        if (!score.HasSlotNames()) return;
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        var values = names.DenseValues().Select(n => n.ToString()).ToArray();
        for (var k = 0; k < values.Length; k++)
            if (values[k] != k.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new InvalidOperationException($"{Target}: score slot {k} is grade '{values[k]}', not {k}.");
    }

    /// <summary>The most probable grade of each embedding.</summary>
    public int[] Predict(IReadOnlyList<float[]> embeddings) =>
        [.. PredictProbabilities(embeddings).Select(p => Array.IndexOf(p, p.Max()))];
}
