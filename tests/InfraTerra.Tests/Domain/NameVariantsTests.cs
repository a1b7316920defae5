using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Domain;

public sealed class NameVariantsTests
{
    [Theory]
    [InlineData("Mohammed", "Muhammad")]
    [InlineData("Mohamed", "Muhammad")]
    [InlineData("Mohammad", "Mehmet")]
    [InlineData("محمد", "Muhammad")]
    [InlineData("مُحَمَّد", "Mohamed")]
    [InlineData("Aleksandr", "Alexander")]
    [InlineData("Alexandre", "Alejandro")]
    [InlineData("Youssef", "Yusuf")]
    [InlineData("يوسف", "Yousef")]
    [InlineData("Abdel", "Abdul")]
    [InlineData("Ahmed", "Ahmad")]
    [InlineData("أحمد", "Ahmed")]
    [InlineData("Dmitry", "Dmitri")]
    [InlineData("Hussain", "Hossein")]
    public void Spellings_OfOneName_HaveOneKey(string one, string other) =>
        Assert.Equal(KeyOf(one), KeyOf(other));

    [Theory]
    [InlineData("Yusuf", "Joseph")]
    [InlineData("Muhammad", "Mahmoud")]
    [InlineData("Hassan", "Hussein")]
    [InlineData("Ali", "Alexander")]
    public void DifferentNames_AreNotJoined(string one, string other) =>
        Assert.NotEqual(KeyOf(one), KeyOf(other));

    [Fact]
    public void NamesOutsideTheTable_HaveNoKey() => Assert.Null(KeyOf("Ondrako"));

    [Theory]
    [InlineData("Nguyễn Văn Đức", "nguyen van duc")]
    [InlineData("Łukasz Żółć", "lukasz zolc")]
    [InlineData("Søren Ærø", "soren aero")]
    [InlineData("Straße", "strasse")]
    public void SearchText_FoldsLettersUnicodeDoesNotDecompose(string name, string expected) =>
        Assert.Equal(expected, SearchText.Normalize(name));

    private static string? KeyOf(string name) => NameVariants.KeyOf(SearchText.Normalize(name));
}
