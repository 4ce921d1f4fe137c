namespace FacetMlNet.Domain;

/// <summary>A lumbar motion segment whose facet joints are graded.</summary>
public enum SpinalLevel
{
    /// <summary>L3/4.</summary>
    L3L4,
    /// <summary>L4/5.</summary>
    L4L5,
    /// <summary>L5/S1.</summary>
    L5S1,
}

/// <summary>The patient's side of a facet joint.</summary>
public enum Side
{
    /// <summary>Patient left.</summary>
    Left,
    /// <summary>Patient right.</summary>
    Right,
}

/// <summary>One facet joint: a level and a side.</summary>
/// <param name="Level">The motion segment.</param>
/// <param name="Side">The patient's side.</param>
public readonly record struct FacetJoint(SpinalLevel Level, Side Side)
{
    /// <summary>The six joints graded by default: L3/4, L4/5, L5/S1 on both sides.</summary>
    public static IReadOnlyList<FacetJoint> Default { get; } =
        [.. from level in Enum.GetValues<SpinalLevel>() from side in Enum.GetValues<Side>() select new FacetJoint(level, side)];

    /// <summary>A stable short name such as <c>L4L5-Left</c>, used in files and logs.</summary>
    public override string ToString() => $"{Level}-{Side}";

    /// <summary>Parses the form written by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">The text is not a level and a side.</exception>
    public static FacetJoint Parse(string text)
    {
        var parts = text.Split('-');
        if (parts.Length == 2
            && Enum.TryParse<SpinalLevel>(parts[0], ignoreCase: true, out var level)
            && Enum.TryParse<Side>(parts[1], ignoreCase: true, out var side))
            return new FacetJoint(level, side);
        throw new FormatException($"'{text}' is not a facet joint (expected e.g. L4L5-Left).");
    }

    /// <summary>Human label, e.g. <c>L4/5 left</c>.</summary>
    public string DisplayName => $"{LevelName(Level)} {Side.ToString().ToLowerInvariant()}";

    /// <summary>Radiological notation of a level, e.g. <c>L5/S1</c>.</summary>
    public static string LevelName(SpinalLevel level) => level switch
    {
        SpinalLevel.L3L4 => "L3/4",
        SpinalLevel.L4L5 => "L4/5",
        SpinalLevel.L5S1 => "L5/S1",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
