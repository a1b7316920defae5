namespace InfraTerra.Web.Domain;

/// <summary>
/// Common spellings of the same name, so that "Mohammed" finds "Muhammad" and "Aleksandr" finds
/// "Alexander" (README, "What a name search matches"). A small, closed table rather than a phonetic
/// key: a phonetic key also joins names that are not the same (Soundex puts "Mohammed" with "Magomet"
/// but also "Mason" with "Misono"), and on a list of wanted people a wrong match costs more than a
/// missed variant, which the visitor can still find by typing the start of the name. Pure: the
/// catalogue maps both the notice's name words and the visitor's words through <see cref="KeyOf"/>.
/// </summary>
public static class NameVariants
{
    // Each line is one name; every spelling on it (already in SearchText's form: lower case, no
    // accents) maps to the first. Arabic-script forms are written after Arabic letter folding.
    private static readonly string[][] Groups =
    [
        ["muhammad", "mohammed", "mohamed", "mohammad", "muhammed", "mohamad", "muhamad", "muhamed", "mouhamed", "mohamud", "mohammud", "mouhammad", "mehmet", "mehmed", "محمد"],
        ["ahmad", "ahmed", "ahmet", "ahmadou", "ahmadu", "احمد"],
        ["mahmoud", "mahmud", "mahmood", "mahmut", "محمود"],
        ["mustafa", "mustapha", "moustafa", "mostafa", "moustapha", "mostapha", "مصطفي"],
        ["yusuf", "youssef", "yousef", "yousif", "yusef", "yussuf", "youssouf", "yousuf", "jusuf", "يوسف"],
        ["abdul", "abdel", "abdoul", "abd", "عبد"],
        ["abdullah", "abdallah", "abdulla", "abdala", "abdellah", "abdoulah", "عبدالله", "عبدلله"],
        ["abdulrahman", "abdelrahman", "abderrahmane", "abdurrahman", "abdourahmane", "abderahmane", "abdirahman", "عبدالرحمن"],
        ["hussein", "husein", "hussain", "husain", "houssein", "hossein", "huseyin", "حسين"],
        ["hassan", "hasan", "hassane", "حسن"],
        ["omar", "umar", "omer", "oumar", "عمر"],
        ["osman", "othman", "uthman", "usman", "ousmane", "otman", "عثمان"],
        ["ibrahim", "ibrahima", "ebrahim", "brahim", "ابراهيم"],
        ["ismail", "ismael", "ismaila", "esmail", "اسماعيل"],
        ["khalid", "khaled", "halid", "خالد"],
        ["said", "saeed", "sayed", "sayid", "سعيد"],
        ["ali", "aly", "علي"],
        ["aleksandr", "alexander", "alexandre", "alejandro", "aleksander", "alexandr", "oleksandr", "alexandros"],
        ["aleksei", "alexei", "alexey", "aleksey", "oleksiy"],
        ["sergei", "sergey", "serguei", "serhiy", "sergej"],
        ["dmitri", "dmitry", "dmitriy", "dimitri", "dmytro"],
        ["yuri", "yury", "iouri", "jurij", "yuriy", "youri"],
        ["nikolai", "nikolay", "nicolai", "mykola"],
        ["mikhail", "mikhael", "michail", "mykhailo"],
        ["evgeny", "evgeniy", "yevgeny", "yevgeniy", "ievgen", "yevhen"],
        ["andrei", "andrey", "andriy", "andrej"],
        ["pyotr", "piotr", "petr"],
    ];

    private static readonly Dictionary<string, string> Keys = BuildKeys();

    /// <summary>
    /// The name a word is a spelling of, or null when the table does not know it (then only its
    /// spelling matches). <paramref name="word"/> is one word in <see cref="SearchText"/>'s form.
    /// </summary>
    public static string? KeyOf(string word) => Keys.GetValueOrDefault(FoldArabic(word));

    /// <summary>
    /// Arabic letters that are written several ways for one sound: alef with hamza or madda as alef,
    /// teh marbuta as heh, alef maqsura as yeh. (Short vowels and shadda are marks, and SearchText drops them.)
    /// </summary>
    public static string FoldArabic(string word)
    {
        if (!word.Any(c => c is >= '\u0600' and <= '\u06FF'))
        {
            return word;
        }

        return string.Create(word.Length, word, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] switch
                {
                    'أ' or 'إ' or 'آ' or 'ٱ' => 'ا',
                    'ة' => 'ه',
                    'ى' => 'ي',
                    var c => c,
                };
            }
        });
    }

    private static Dictionary<string, string> BuildKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            foreach (var spelling in group)
            {
                // The table is written by hand: normalize it the way names are, so a stray accent cannot make a line dead.
                var word = FoldArabic(SearchText.Normalize(spelling));
                if (!keys.TryAdd(word, group[0]))
                {
                    throw new InvalidOperationException($"NameVariants: \"{spelling}\" is on two lines.");
                }
            }
        }

        return keys;
    }
}
