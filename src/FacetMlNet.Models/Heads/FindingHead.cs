using FacetMlNet.Dicom.IO;
using FacetMlNet.Domain;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FacetMlNet.Models.Heads;

/// <summary>A trained head: grade probabilities of one target from an embedding.</summary>
public sealed class FindingHead
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    internal FindingHead(MLContext ml, GradingTarget target, ITransformer model, HeadTrainerKind trainer, string description, int featureLength)
    {
        _ml = ml;
        Target = target;
        _model = model;
        Trainer = trainer;
        Description = description;
        FeatureLength = featureLength;
    }

    /// <summary>The trainer that fitted the head.</summary>
    public HeadTrainerKind Trainer { get; }

    /// <summary>Length of the feature vector the head reads.</summary>
    public int FeatureLength { get; }

    /// <summary>Macro one-vs-rest AUC on the validation split when the head was chosen; NaN when unknown (e.g. loaded).</summary>
    public double ValidationMacroAuc { get; internal set; } = double.NaN;

    private sealed record HeadCard(string Target, int Grades, HeadTrainerKind Trainer, string Description, int FeatureLength);

    /// <summary>
    /// Saves the head as an ML.NET model zip (<paramref name="path"/>) with a small JSON card beside it
    /// (<c>.json</c>: target, grades, trainer, feature length). Written to temporary files and moved into place.
    /// </summary>
    public void Save(string path)
    {
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<Input>(), InputSchema(FeatureLength)).Schema;
        AtomicFile.Write(path, temporary => _ml.Model.Save(_model, schema, temporary));
        var card = System.Text.Json.JsonSerializer.Serialize(new HeadCard(Target.Name, Target.GradeCount, Trainer, Description, FeatureLength));
        AtomicFile.WriteAllText(path + ".json", card);
    }

    /// <summary>Loads a head written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The card is missing or names an unknown target.</exception>
    public static FindingHead Load(MLContext ml, string path)
    {
        var cardPath = path + ".json";
        if (!File.Exists(cardPath)) throw new InvalidDataException($"{cardPath}: head card missing.");
        var card = System.Text.Json.JsonSerializer.Deserialize<HeadCard>(File.ReadAllText(cardPath))
            ?? throw new InvalidDataException($"{cardPath}: empty head card.");
        var target = GradingTarget.All.FirstOrDefault(t => t.Name == card.Target && t.GradeCount == card.Grades)
            ?? throw new InvalidDataException($"{cardPath}: unknown target {card.Target} with {card.Grades} grades.");
        var model = ml.Model.Load(path, out _);
        return new FindingHead(ml, target, model, card.Trainer, card.Description, card.FeatureLength);
    }

    private static SchemaDefinition InputSchema(int length)
    {
        var schema = SchemaDefinition.Create(typeof(Input));
        schema[nameof(Input.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return schema;
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
        foreach (var e in embeddings)
            if (e.Length != FeatureLength) throw new ArgumentException($"{Target}: the head reads {FeatureLength} features, got {e.Length}.", nameof(embeddings));
        var data = _ml.Data.LoadFromEnumerable(embeddings.Select(e => new Input { Features = e }), InputSchema(FeatureLength));
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
