#include "ScriptedRuns.h"

#include "ScriptedClient.h"
#include "TestPipelines.h"
#include "cost/PriceTable.h"

#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

ScriptedClient::Reply gatedWorld(const ChatRequest &request)
{
    switch (request.tag.purpose) {
    case CallPurpose::Backward:
        return ScriptedClient::text(u"The prompt should ask for care: the sum was off by one."_s);
    case CallPurpose::Optimizer: {
        const QString value = QString::fromUtf8(
            request.tag.step == 1 ? ScriptedRuns::kSloppyPrompt : ScriptedRuns::kCarefulPrompt);
        return ScriptedClient::text(u"<IMPROVED_VARIABLE>"_s + value + u"</IMPROVED_VARIABLE>"_s);
    }
    default:
        break;
    }
    const QString system = ScriptedClient::systemText(request);
    static const QRegularExpression sum(u"(\\d+)\\s*\\+\\s*(\\d+)"_s);
    const QRegularExpressionMatch m = sum.match(ScriptedClient::lastUser(request));
    if (!m.hasMatch())
        return ScriptedClient::text(u"I do not know."_s);
    const int a = m.captured(1).toInt();
    const int right = a + m.captured(2).toInt();
    bool correct = system.contains(u"carefully"_s) || (a % 2 == 0 && !system.contains(u"sloppy"_s))
        || a % 4 == 0;
    if (a % 5 == 0)
        correct = false;
    return ScriptedClient::text(QString::number(correct ? right : right + 1));
}

} // namespace

void ScriptedRuns::activateTestPrices()
{
    PriceTable table = PriceTable::builtin();
    const QJsonObject prices = QJsonDocument::fromJson(R"({
        "format": "textgrad-workbench.prices", "formatVersion": 1,
        "providers": { "openai": {
            "student-model": { "prompt": 1.0, "completion": 2.0 },
            "teacher-model": { "prompt": 1.0, "completion": 2.0 } } } })")
                                   .object();
    QString error;
    if (!table.merge(prices, u"test prices"_s, &error))
        qWarning("test prices: %s", qPrintable(error));
    PriceTable::setActive(std::make_shared<const PriceTable>(table));
}

RunOutcome ScriptedRuns::gatedArithmetic(RunStore *store)
{
    ScriptedClient client(gatedWorld);
    Pipeline pipeline
        = TestPipelines::parse(TestPipelines::arithmeticJson(u"https://api.openai.com/v1"_s));
    TrainingData data;
    data.train = TestPipelines::additions(6);
    data.validation = TestPipelines::additions(5, 100);
    data.test = TestPipelines::additions(3, 200);
    Trainer trainer(store, &client);
    return trainer.start(pipeline, data, {});
}
