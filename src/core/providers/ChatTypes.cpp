#include "providers/ChatTypes.h"

using namespace Qt::StringLiterals;

QString callPurposeName(CallPurpose purpose)
{
    switch (purpose) {
    case CallPurpose::Forward: return u"forward"_s;
    case CallPurpose::Loss: return u"loss"_s;
    case CallPurpose::Backward: return u"backward"_s;
    case CallPurpose::Optimizer: return u"optimizer"_s;
    case CallPurpose::Validation: return u"validation"_s;
    case CallPurpose::Test: return u"test"_s;
    }
    return u"forward"_s;
}
