using System.Globalization;
using System.Text.Json;
using FacetMlNet.Evaluation.Metrics;

namespace FacetMlNet.Evaluation.Tests;

public class PairedTestsTests
{
    [Fact]
    public void Holm_adjusts_step_down()
    {
        // Sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → monotone 0.06.
        Assert.Equal([0.03, 0.06, 0.06, 0.02], PairedTests.Holm([0.01, 0.04, 0.03, 0.005]).Select(p => Math.Round(p, 12)));
        Assert.Equal([1.0, 1.0], PairedTests.Holm([0.6, 0.9]));
    }

    [Fact]
    public void McNemar_exact_by_hand()
    {
        // b = 0, c = 5: p = 2 · 0.5^5 = 0.0625.
        var a = new[] { false, false, false, false, false, true };
        var b = new[] { true, true, true, true, true, true };
        Assert.Equal(0.0625, PairedTests.McNemar(a, b).PValue, 12);
        Assert.Equal(1.0, PairedTests.McNemar(b, b).PValue);
    }

    [Fact]
    public void DeLong_of_identical_scores_is_no_difference()
    {
        bool[] y = [true, false, true, false, true];
        double[] s = [0.9, 0.1, 0.8, 0.3, 0.2];
        var r = PairedTests.DeLong(y, s, s);
        Assert.Equal(r.AucA, r.AucB);
        Assert.Equal(1.0, r.PValue);
    }

    private const string Script = """
        import json, sys, math
        import numpy as np
        from scipy.stats import binomtest
        cases = json.load(open(sys.argv[1]))
        out = []
        def components(y, s):
            pos, neg = s[y], s[~y]
            psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
            return psi.mean(axis=1), psi.mean(axis=0)
        for c in cases:
            y = np.array(c["y"], dtype=bool); a = np.array(c["a"]); b = np.array(c["b"])
            a10, a01 = components(y, a); b10, b01 = components(y, b)
            s10 = np.cov(np.vstack([a10, b10])); s01 = np.cov(np.vstack([a01, b01]))
            S = s10 / y.sum() + s01 / (~y).sum()
            var = S[0, 0] + S[1, 1] - 2 * S[0, 1]
            z = (a10.mean() - b10.mean()) / math.sqrt(var)
            ca = np.array(c["ca"]); cb = np.array(c["cb"])
            nb = int((ca & ~cb).sum()); nc = int((~ca & cb).sum())
            p_mc = binomtest(min(nb, nc), nb + nc, 0.5).pvalue if nb + nc else 1.0
            out.append({"aucA": a10.mean(), "aucB": b10.mean(), "var": var, "z": z, "p": math.erfc(abs(z) / math.sqrt(2)), "mcnemar": min(1.0, p_mc)})
        print(json.dumps(out))
        """;

    [SkippableFact]
    public void DeLong_and_McNemar_equal_an_independent_python_implementation()
    {
        Skip.IfNot(Python.Has("numpy, scipy"),
            "Debian python3 with numpy and scipy not installed (python3-sklearn brings them; .ci/run installs it)");
        var rng = new Random(11);
        var cases = new List<(bool[] Y, double[] A, double[] B, bool[] Ca, bool[] Cb)>();
        for (var c = 0; c < 5; c++)
        {
            var n = 40 + 20 * c;
            var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.4).ToArray();
            var a = y.Select(v => (v ? 0.6 : 0.4) + rng.NextDouble() * 0.5).ToArray();
            // The second score is an ordinal grade 0–3, as a reader's: many ties.
            var b = y.Select(v => (double)Math.Clamp((v ? 2 : 1) + rng.Next(-1, 2), 0, 3)).ToArray();
            cases.Add((y, a, b, [.. y.Select(_ => rng.NextDouble() < 0.8)], [.. y.Select(_ => rng.NextDouble() < 0.7)]));
        }
        var path = Path.Combine(Path.GetTempPath(), $"facetml-delong-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(cases.Select(c => new { y = c.Y, a = c.A, b = c.B, ca = c.Ca, cb = c.Cb })));
        try
        {
            var (code, output) = Python.Run("-c", Script, path);
            Assert.True(code == 0, output);
            using var doc = JsonDocument.Parse(output);
            var expected = doc.RootElement.EnumerateArray().ToList();
            for (var i = 0; i < cases.Count; i++)
            {
                var r = PairedTests.DeLong(cases[i].Y, cases[i].A, cases[i].B);
                var e = expected[i];
                Assert.Equal(e.GetProperty("aucA").GetDouble(), r.AucA, 12);
                Assert.Equal(e.GetProperty("aucB").GetDouble(), r.AucB, 12);
                Assert.Equal(e.GetProperty("var").GetDouble(), r.Variance, 12);
                Assert.Equal(e.GetProperty("z").GetDouble(), r.Z, 9);
                Assert.Equal(e.GetProperty("p").GetDouble(), r.PValue, 12);
                Assert.Equal(e.GetProperty("mcnemar").GetDouble(), PairedTests.McNemar(cases[i].Ca, cases[i].Cb).PValue, 12);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Erfc_matches_reference_values()
    {
        // math.erfc at a few points (Python 3.11).
        Assert.Equal(1.0, PairedTests.Erfc(0), 15);
        Assert.Equal(0.4795001221869535, PairedTests.Erfc(0.5), 14);
        Assert.Equal(0.15729920705028513, PairedTests.Erfc(1.0), 14);
        Assert.Equal(0.004677734981047265, PairedTests.Erfc(2.0), 15);
        Assert.True(Math.Abs(PairedTests.Erfc(5.0) / 1.5374597944280351e-12 - 1) < 1e-13);
        Assert.Equal(1.842700792949715, PairedTests.Erfc(-1.0), 13);
    }
}
