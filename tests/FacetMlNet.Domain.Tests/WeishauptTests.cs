using FacetMlNet.Domain;

namespace FacetMlNet.Domain.Tests;

public class WeishauptTests
{
    private static FacetGrades G(int narrowing = 0, int hypertrophy = 0, int osteophytes = 0, int erosion = 0, int cysts = 0) =>
        new([narrowing, hypertrophy, osteophytes, erosion, cysts]);

    [Theory]
    [InlineData(0, 0, 0, 0, 0, 0)] // normal joint
    [InlineData(1, 0, 0, 0, 0, 1)] // narrowing alone
    [InlineData(0, 1, 1, 0, 0, 1)] // mild hypertrophy, small osteophytes
    [InlineData(0, 2, 0, 0, 0, 2)] // moderate hypertrophy
    [InlineData(0, 0, 0, 1, 0, 2)] // mild erosion is already grade 2
    [InlineData(0, 0, 0, 3, 0, 3)] // severe erosion
    [InlineData(0, 0, 3, 0, 0, 3)] // large osteophytes
    [InlineData(0, 0, 0, 0, 1, 3)] // any cyst is grade 3
    [InlineData(1, 1, 2, 1, 0, 2)] // the worst finding drives the grade
    public void Overall_grade_follows_the_worst_finding(int n, int h, int o, int e, int c, int expected) =>
        Assert.Equal(expected, G(n, h, o, e, c).Overall);

    [Fact]
    public void Cysts_are_graded_present_or_absent() =>
        Assert.Throws<ArgumentException>(() => G(cysts: 2));

    [Fact]
    public void Grades_outside_the_scale_are_refused()
    {
        Assert.Throws<ArgumentException>(() => G(narrowing: 4));
        Assert.Throws<ArgumentException>(() => G(osteophytes: -1));
        Assert.Throws<ArgumentException>(() => new FacetGrades([0, 0, 0]));
    }

    [Fact]
    public void Joint_names_round_trip()
    {
        foreach (var joint in FacetJoint.Default) Assert.Equal(joint, FacetJoint.Parse(joint.ToString()));
        Assert.Equal(6, FacetJoint.Default.Count);
        Assert.Throws<FormatException>(() => FacetJoint.Parse("L2L3-Left"));
        Assert.Equal("L5/S1 right", new FacetJoint(SpinalLevel.L5S1, Side.Right).DisplayName);
    }

    [Fact]
    public void Targets_are_five_findings_then_overall()
    {
        Assert.Equal(["JointSpaceNarrowing", "Hypertrophy", "Osteophytes", "Erosion", "SubchondralCysts", "Overall"], GradingTarget.All.Select(t => t.Name));
        Assert.Same(GradingTarget.Overall, GradingTarget.Parse("overall"));
        Assert.Throws<ArgumentException>(() => GradingTarget.Parse("Spondylosis"));
    }
}
