namespace FacetMlNet.Synthetic;

/// <summary>
/// A small deterministic generator (SplitMix64) with the draws the generator needs. Unlike System.Random, its
/// sequence is fixed by this code, so a seed gives the same cohort on every .NET version.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for a named sub-stream, independent of the order in which streams are used.</summary>
    public static SeededRandom For(int seed, params object[] path)
    {
        var h = 1469598103934665603UL ^ (ulong)(uint)seed;
        foreach (var part in path)
            foreach (var c in part.ToString()!)
                h = (h ^ c) * 1099511628211UL;
        return new SeededRandom(h);
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    public double Uniform((double Min, double Max) range) => Uniform(range.Min, range.Max);

    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Two independent standard normals from one Box–Muller draw.</summary>
    public (double, double) GaussianPair()
    {
        var r = Math.Sqrt(-2 * Math.Log(1.0 - NextDouble()));
        var (sin, cos) = Math.SinCos(2 * Math.PI * NextDouble());
        return (r * cos, r * sin);
    }

    /// <summary>Standard normal by Box–Muller.</summary>
    public double Gaussian(double mean = 0, double sd = 1)
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
