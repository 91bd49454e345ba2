<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <location filename="../actions.py" line="27"/>
        <source>Search catalog</source>
        <translation>搜索事项</translation>
    </message>
    <message>
        <location filename="../actions.py" line="29"/>
        <source>Jump to the catalog search box</source>
        <translation>转到事项搜索框</translation>
    </message>
    <message>
        <location filename="../actions.py" line="33"/>
        <source>New intake</source>
        <translation>新建受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="35"/>
        <source>Start an intake for the item shown</source>
        <translation>为当前事项新建受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="39"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../actions.py" line="41"/>
        <source>Refresh the catalog and send queued cases now</source>
        <translation>立即更新事项目录并上报待发送办件</translation>
    </message>
    <message>
        <location filename="../actions.py" line="45"/>
        <source>Import catalog file…</source>
        <translation>导入目录文件…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="47"/>
        <source>A catalog export from a USB stick, when the hall cannot be reached</source>
        <translation>无法连接网上办事大厅时，导入U盘带来的事项目录文件</translation>
    </message>
    <message>
        <location filename="../actions.py" line="52"/>
        <source>Catalog quality…</source>
        <translation>目录质量检查…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="54"/>
        <source>Items that miss required standard fields</source>
        <translation>列出缺少标准要素的事项</translation>
    </message>
    <message>
        <location filename="../actions.py" line="58"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键一览</translation>
    </message>
    <message>
        <location filename="../actions.py" line="60"/>
        <source>Every key of the workstation on one page</source>
        <translation>在一页上列出本工作站的全部快捷键</translation>
    </message>
    <message>
        <location filename="../actions.py" line="64"/>
        <source>Intake area</source>
        <translation>受理区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="65"/>
        <source>Cases area</source>
        <translation>办件区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="66"/>
        <source>E-certificates area</source>
        <translation>电子证照区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="67"/>
        <source>Sync area</source>
        <translation>同步区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="68"/>
        <source>Online pre-review area</source>
        <translation>网上预审区</translation>
    </message>
    <message>
        <location filename="../actions.py" line="69"/>
        <source>Next area</source>
        <translation>下一个区域</translation>
    </message>
    <message>
        <location filename="../actions.py" line="70"/>
        <source>Previous area</source>
        <translation>上一个区域</translation>
    </message>
    <message>
        <location filename="../actions.py" line="71"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../actions.py" line="75"/>
        <source>Everywhere</source>
        <translation>任何位置</translation>
    </message>
    <message>
        <location filename="../actions.py" line="80"/>
        <source>Choose an item / open its guide, start</source>
        <translation>选择事项 / 打开办事指南、开始受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="81"/>
        <location filename="../actions.py" line="105"/>
        <source>Catalog search</source>
        <translation>事项搜索</translation>
    </message>
    <message>
        <location filename="../actions.py" line="82"/>
        <source>Next field; in the last field, next step</source>
        <translation>下一个输入框；在最后一个输入框中进入下一步</translation>
    </message>
    <message>
        <location filename="../actions.py" line="83"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../actions.py" line="84"/>
        <source>How the material was received, then the next one</source>
        <translation>选择材料收取形式，并转到下一项材料</translation>
    </message>
    <message>
        <location filename="../actions.py" line="85"/>
        <location filename="../actions.py" line="87"/>
        <location filename="../actions.py" line="89"/>
        <source>Materials</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../actions.py" line="86"/>
        <source>Scan a page into the current material</source>
        <translation>为当前材料扫描一页</translation>
    </message>
    <message>
        <location filename="../actions.py" line="88"/>
        <source>Attach an electronic file</source>
        <translation>关联电子文件</translation>
    </message>
    <message>
        <location filename="../actions.py" line="90"/>
        <location filename="../actions.py" line="92"/>
        <source>Look up the applicant&apos;s e-certificates</source>
        <translation>查询申请人的电子证照</translation>
    </message>
    <message>
        <location filename="../actions.py" line="91"/>
        <source>Applicant, materials</source>
        <translation>申请人、申请材料</translation>
    </message>
    <message>
        <location filename="../actions.py" line="93"/>
        <source>Online pre-review</source>
        <translation>网上预审</translation>
    </message>
    <message>
        <location filename="../actions.py" line="94"/>
        <source>Accept, completion notice, reject, conclude</source>
        <translation>受理、一次性告知、不予受理、当场办结</translation>
    </message>
    <message>
        <location filename="../actions.py" line="95"/>
        <source>Decision</source>
        <translation>受理决定</translation>
    </message>
    <message>
        <location filename="../actions.py" line="96"/>
        <source>Next step; on the decision step, commit</source>
        <translation>下一步；在受理决定步骤中提交</translation>
    </message>
    <message>
        <location filename="../actions.py" line="97"/>
        <location filename="../actions.py" line="99"/>
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="98"/>
        <source>Previous step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../actions.py" line="100"/>
        <source>Print the main notice (Ctrl+Shift+P the next)</source>
        <translation>打印主要文书（Ctrl+Shift+P 打印下一份）</translation>
    </message>
    <message>
        <location filename="../actions.py" line="101"/>
        <location filename="../actions.py" line="103"/>
        <source>Result</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../actions.py" line="102"/>
        <source>Next applicant</source>
        <translation>下一位申请人</translation>
    </message>
    <message>
        <location filename="../actions.py" line="104"/>
        <source>Resume an unfinished intake</source>
        <translation>继续未完成的受理</translation>
    </message>
</context>
<context>
    <name>ApplicantForm</name>
    <message>
        <location filename="../intake/applicant_form.py" line="135"/>
        <source>Natural person</source>
        <translation>自然人</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="136"/>
        <source>Organisation</source>
        <translation>法人或其他组织</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="154"/>
        <source>Submitted by an agent</source>
        <translation>由代理人（代办人）办理</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="165"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="167"/>
        <source>Applicant type</source>
        <translation>申请人类型</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="169"/>
        <location filename="../intake/applicant_form.py" line="184"/>
        <source>Name</source>
        <translation>姓名/名称</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="170"/>
        <location filename="../intake/applicant_form.py" line="185"/>
        <source>ID document</source>
        <translation>证件</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="171"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="173"/>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="176"/>
        <source>Representative&apos;s ID</source>
        <translation>法定代表人证件</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="178"/>
        <location filename="../intake/applicant_form.py" line="186"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="179"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="182"/>
        <source>Agent</source>
        <translation>代理人</translation>
    </message>
    <message>
        <location filename="../intake/applicant_form.py" line="391"/>
        <source>Filled in from an earlier application; please check.</source>
        <translation>已按以往办件记录填入，请核对。</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <location filename="../case_detail.py" line="34"/>
        <source>original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="35"/>
        <source>copy</source>
        <translation>复印件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="36"/>
        <source>electronic file</source>
        <translation>电子文件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="37"/>
        <source>scanned</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="38"/>
        <source>e-certificate</source>
        <translation>电子证照</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="39"/>
        <source>missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="40"/>
        <source>deficiency (to follow)</source>
        <translation>容缺（后补）</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="41"/>
        <source>not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="46"/>
        <source>received</source>
        <translation>收件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="47"/>
        <source>accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="48"/>
        <source>accepted with deficiencies</source>
        <translation>容缺受理</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="49"/>
        <source>completion notice given</source>
        <translation>一次性告知（补正）</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="50"/>
        <source>rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="51"/>
        <source>concluded</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="52"/>
        <source>delivered</source>
        <translation>送达</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="75"/>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="76"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="78"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="79"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="80"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="81"/>
        <source>Received</source>
        <translation>收件时间</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="83"/>
        <source>Promised date</source>
        <translation>承诺办结日期</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="89"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="91"/>
        <source>Legal basis</source>
        <translation>设定依据</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="100"/>
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="101"/>
        <source>Received as</source>
        <translation>收取形式</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="102"/>
        <source>Originals / copies</source>
        <translation>原件 / 复印件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="103"/>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="104"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="117"/>
        <source>Materials</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="118"/>
        <source>History</source>
        <translation>办理记录</translation>
    </message>
</context>
<context>
    <name>CaseDetailDialog</name>
    <message>
        <location filename="../case_detail.py" line="141"/>
        <source>Case %1</source>
        <translation>办件 %1</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="145"/>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="147"/>
        <source>Applicant is back: continue this case</source>
        <translation>申请人补正材料后继续受理</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="169"/>
        <source>Case %1 does not exist.</source>
        <translation>办件 %1 不存在。</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="180"/>
        <source>The case could not be read: %1</source>
        <translation>办件无法读取：%1</translation>
    </message>
</context>
<context>
    <name>CaseDocumentButtons</name>
    <message>
        <location filename="../case_documents.py" line="73"/>
        <source>Preparing the document…</source>
        <translation>正在生成文书…</translation>
    </message>
</context>
<context>
    <name>CaseDocuments</name>
    <message>
        <location filename="../case_documents.py" line="15"/>
        <source>Print receipt</source>
        <translation>打印收件回执</translation>
    </message>
    <message>
        <location filename="../case_documents.py" line="16"/>
        <source>Print acceptance notice</source>
        <translation>打印受理通知书</translation>
    </message>
    <message>
        <location filename="../case_documents.py" line="17"/>
        <source>Print completion notice</source>
        <translation>打印一次性告知书</translation>
    </message>
    <message>
        <location filename="../case_documents.py" line="18"/>
        <source>Print rejection notice</source>
        <translation>打印不予受理通知书</translation>
    </message>
    <message>
        <location filename="../case_documents.py" line="19"/>
        <source>Print deficiency undertaking</source>
        <translation>打印容缺受理承诺书</translation>
    </message>
</context>
<context>
    <name>CaseStates</name>
    <message>
        <location filename="../case_states.py" line="8"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="9"/>
        <source>received</source>
        <translation>已收件</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="10"/>
        <source>accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="11"/>
        <source>in process</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="12"/>
        <source>completion notice</source>
        <translation>待补正</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="13"/>
        <source>rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="14"/>
        <source>concluded</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="15"/>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
</context>
<context>
    <name>CasesModel</name>
    <message>
        <location filename="../cases_model.py" line="33"/>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="34"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="35"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="36"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="37"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="38"/>
        <source>Received</source>
        <translation>收件时间</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="39"/>
        <source>Promised date</source>
        <translation>承诺办结日期</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="92"/>
        <source> (calendar not confirmed)</source>
        <translation>（日历未确认）</translation>
    </message>
</context>
<context>
    <name>CasesView</name>
    <message>
        <location filename="../cases_view.py" line="40"/>
        <source>Case number, applicant name or ID number</source>
        <translation>办件编号、申请人姓名或证件号码</translation>
    </message>
    <message>
        <location filename="../cases_view.py" line="62"/>
        <source>Open case (Enter)</source>
        <translation>打开办件（回车）</translation>
    </message>
    <message numerus="yes">
        <location filename="../cases_view.py" line="109"/>
        <source>%n case(s) match</source>
        <translation>
            <numerusform>找到 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../cases_view.py" line="111"/>
        <source>%n case(s) taken in today</source>
        <translation>
            <numerusform>今日收件 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../cases_view.py" line="116"/>
        <source>The cases could not be read: %1</source>
        <translation>办件列表无法读取：%1</translation>
    </message>
</context>
<context>
    <name>CatalogBrowser</name>
    <message>
        <location filename="../catalog/browser.py" line="58"/>
        <source>Item name, code or pinyin initials (Ctrl+F)</source>
        <translation>事项名称、编码或拼音首字母（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="62"/>
        <source>Loading the catalog…</source>
        <translation>正在加载事项目录…</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="88"/>
        <source>Take in an application for this item (Ctrl+N)</source>
        <translation>受理此事项（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="139"/>
        <source>No item matches “%1”.</source>
        <translation>没有与“%1”匹配的事项。</translation>
    </message>
    <message numerus="yes">
        <location filename="../catalog/browser.py" line="141"/>
        <source>%n item(s) found</source>
        <translation>
            <numerusform>找到 %n 个事项</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="147"/>
        <source>Type to search the catalog.</source>
        <translation>输入名称、编码或拼音首字母搜索事项。</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="151"/>
        <source>The catalog is on its way; the search runs as soon as it arrives.</source>
        <translation>事项目录正在下载，到达后立即按已输入的内容搜索。</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="152"/>
        <source>This station has no catalog yet (F5 downloads it from the hall).</source>
        <translation>本机尚无事项目录（按 F5 从网上大厅下载）。</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="162"/>
        <source>The catalog could not be loaded: %1</source>
        <translation>事项目录无法加载：%1</translation>
    </message>
</context>
<context>
    <name>CatalogFileImport</name>
    <message>
        <location filename="../catalog/file_import.py" line="38"/>
        <location filename="../catalog/file_import.py" line="75"/>
        <source>Import catalog file</source>
        <translation>导入目录文件</translation>
    </message>
    <message>
        <location filename="../catalog/file_import.py" line="39"/>
        <source>Catalog files (*.json);;All files (*)</source>
        <translation>目录文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../catalog/file_import.py" line="86"/>
        <source>Not imported; the catalog is unchanged.</source>
        <translation>未导入，现有目录未改动。</translation>
    </message>
</context>
<context>
    <name>CatalogHitsModel</name>
    <message>
        <location filename="../catalog/hits_model.py" line="30"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="31"/>
        <source>Catalog code</source>
        <translation>基本编码</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="32"/>
        <source>Department</source>
        <translation>实施主体</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="33"/>
        <source>Match</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="38"/>
        <source>code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="39"/>
        <source>code prefix</source>
        <translation>编码前缀</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="40"/>
        <location filename="../catalog/hits_model.py" line="43"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="41"/>
        <location filename="../catalog/hits_model.py" line="42"/>
        <source>pinyin</source>
        <translation>拼音</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="44"/>
        <source>part of a code</source>
        <translation>编码片段</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="45"/>
        <source>common word</source>
        <translation>常用说法</translation>
    </message>
</context>
<context>
    <name>CatalogQualityDialog</name>
    <message>
        <location filename="../catalog/quality_dialog.py" line="38"/>
        <source>Catalog quality</source>
        <translation>目录质量检查</translation>
    </message>
    <message>
        <location filename="../catalog/quality_dialog.py" line="40"/>
        <source>Checking every item…</source>
        <translation>正在逐项检查…</translation>
    </message>
    <message numerus="yes">
        <location filename="../catalog/quality_dialog.py" line="76"/>
        <source>%n item(s) miss standard fields; fix them at the catalog source.</source>
        <translation>
            <numerusform>%n 个事项缺少标准要素，请在目录源头修正。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../catalog/quality_dialog.py" line="84"/>
        <source>Every item has all standard fields.</source>
        <translation>所有事项的标准要素均已齐全。</translation>
    </message>
    <message>
        <location filename="../catalog/quality_dialog.py" line="88"/>
        <source>The check failed: %1</source>
        <translation>检查失败：%1</translation>
    </message>
</context>
<context>
    <name>CertificateLookupDialog</name>
    <message>
        <location filename="../cert_lookup.py" line="384"/>
        <source>E-certificate look-up</source>
        <translation>电子证照查询</translation>
    </message>
</context>
<context>
    <name>CertificateLookupPanel</name>
    <message>
        <location filename="../cert_lookup.py" line="113"/>
        <source>ID number or unified social credit code</source>
        <translation>身份证件号码或统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="116"/>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="117"/>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="120"/>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="125"/>
        <source>Required: what the certificate is used for</source>
        <translation>必填：本次用证的事由</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="126"/>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="135"/>
        <source>Holder</source>
        <translation>持证人</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="136"/>
        <source>Certificate type</source>
        <translation>证照类型</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="140"/>
        <source>Purpose of use</source>
        <translation>用证事由</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="157"/>
        <source>View file</source>
        <translation>查看证照文件</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="159"/>
        <source>Use for material</source>
        <translation>用作申请材料</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="220"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="221"/>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="221"/>
        <source>Agent</source>
        <translation>代理人</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="249"/>
        <source>Enter the holder&apos;s ID number or credit code.</source>
        <translation>请填写持证人的身份证件号码或统一社会信用代码。</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="253"/>
        <location filename="../cert_lookup.py" line="296"/>
        <source>The purpose of use is required for every look-up.</source>
        <translation>每次查询都必须填写用证事由。</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="260"/>
        <source>Looking up the certificate library…</source>
        <translation>正在查询电子证照库…</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="283"/>
        <source>%1 certificate(s) found, %2 usable.</source>
        <translation>查到 %1 个证照，其中 %2 个可用。</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="289"/>
        <source>%1 material(s) need no paper now.</source>
        <translation>%1 项材料免于提交纸质件。</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="302"/>
        <source>Look-up failed: %1. Continue with paper.</source>
        <translation>查询失败：%1。请按纸质材料收件。</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="312"/>
        <source>Fetching the certificate file…</source>
        <translation>正在获取证照文件…</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="321"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="326"/>
        <source>The certificate file could not be fetched: %1</source>
        <translation>无法获取证照文件：%1</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="339"/>
        <source>No material of this item asks for this certificate.</source>
        <translation>本事项没有需要该证照的材料。</translation>
    </message>
    <message>
        <location filename="../cert_lookup.py" line="358"/>
        <source>Certificate file attached to the material.</source>
        <translation>证照文件已附加到该材料。</translation>
    </message>
</context>
<context>
    <name>CertificateTableModel</name>
    <message>
        <location filename="../cert_table_model.py" line="40"/>
        <source>Certificate</source>
        <translation>证照名称</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="41"/>
        <source>Number</source>
        <translation>证照编号</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="42"/>
        <source>Identifier</source>
        <translation>证照标识</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="43"/>
        <source>Issuer</source>
        <translation>发证机关</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="44"/>
        <source>Issued</source>
        <translation>发证日期</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="45"/>
        <source>Validity</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="46"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="47"/>
        <source>Verified</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="50"/>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="51"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="52"/>
        <source>Revoked</source>
        <translation>已注销</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="53"/>
        <source>Not yet valid</source>
        <translation>尚未生效</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="55"/>
        <source> · not the applicant&apos;s</source>
        <translation> · 非本人证照</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="56"/>
        <source> · cached</source>
        <translation> · 缓存</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="57"/>
        <source>✓ Verified</source>
        <translation>✓ 已验证</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="58"/>
        <source>✗ Not verified</source>
        <translation>✗ 未通过验证</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="59"/>
        <source>long-term</source>
        <translation>长期</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="60"/>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <location filename="../cert_table_model.py" line="61"/>
        <source>Can be used instead of paper</source>
        <translation>可代替纸质材料</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <location filename="../intake/checklist_model.py" line="42"/>
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="43"/>
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="44"/>
        <source>Received as</source>
        <translation>收取形式</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="45"/>
        <source>Originals / copies</source>
        <translation>原件 / 复印件</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="46"/>
        <source>Pages / file</source>
        <translation>页数/文件</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="47"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="52"/>
        <source>original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="53"/>
        <source>copy</source>
        <translation>复印件</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="54"/>
        <source>scanned</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="55"/>
        <source>electronic file</source>
        <translation>电子文件</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="56"/>
        <source>e-certificate</source>
        <translation>电子证照</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="57"/>
        <source>not handed in</source>
        <translation>未提交</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="58"/>
        <source>deficiency (to follow)</source>
        <translation>容缺（后补）</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="59"/>
        <source>does not apply</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="73"/>
        <source>required</source>
        <translation>必要</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="75"/>
        <source>if: %1</source>
        <translation>情形：%1</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="77"/>
        <source> (applies)</source>
        <translation>（适用）</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="79"/>
        <source>optional</source>
        <translation>非必要</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="85"/>
        <source>received</source>
        <translation>已收件</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="87"/>
        <source>to follow</source>
        <translation>容缺后补</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="89"/>
        <source>missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <location filename="../intake/checklist_model.py" line="90"/>
        <source>not needed</source>
        <translation>无需提交</translation>
    </message>
    <message numerus="yes">
        <location filename="../intake/checklist_model.py" line="185"/>
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClerkStatusWidget</name>
    <message>
        <location filename="../staff_session.py" line="220"/>
        <location filename="../staff_session.py" line="233"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../staff_session.py" line="221"/>
        <source>Switch clerk</source>
        <translation>切换人员</translation>
    </message>
    <message>
        <location filename="../staff_session.py" line="222"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../staff_session.py" line="235"/>
        <source>clerk</source>
        <translation>窗口人员</translation>
    </message>
    <message>
        <location filename="../staff_session.py" line="235"/>
        <source>supervisor</source>
        <translation>科室负责人</translation>
    </message>
    <message>
        <location filename="../staff_session.py" line="236"/>
        <source>administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <location filename="../staff_session.py" line="237"/>
        <source>Clerk: %1 (%2)</source>
        <translation>经办人：%1（%2）</translation>
    </message>
</context>
<context>
    <name>ConsoleArea</name>
    <message>
        <location filename="../console/area.py" line="41"/>
        <source>Received</source>
        <translation>收件</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="42"/>
        <source>Accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="43"/>
        <source>Completion notices</source>
        <translation>一次性告知</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="44"/>
        <source>Rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="45"/>
        <source>Concluded on the spot</source>
        <translation>当场办结</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="46"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="47"/>
        <source>Reported</source>
        <translation>已上报</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="48"/>
        <source>Not reported</source>
        <translation>未上报</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="49"/>
        <source>Report rate</source>
        <translation>上报率</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="50"/>
        <source>Timeliness rate</source>
        <translation>及时率</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="51"/>
        <source>Satisfaction rate</source>
        <translation>好评率</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="53"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="54"/>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="55"/>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="56"/>
        <source>Custom range</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="57"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="58"/>
        <location filename="../console/area.py" line="188"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="59"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="60"/>
        <location filename="../console/area.py" line="189"/>
        <source>Clerk</source>
        <translation>窗口人员</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="61"/>
        <source>weekly report</source>
        <translation>周报</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="62"/>
        <source>monthly report</source>
        <translation>月报</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="63"/>
        <source>end-of-day sign-off</source>
        <translation>日结签核</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="125"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="130"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="133"/>
        <source>Send report to the hall</source>
        <translation>报送办事大厅</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="136"/>
        <source>Sends the week&apos;s or month&apos;s summary (周报/月报) to the online service hall</source>
        <translation>将本周或本月的统计（周报/月报）报送网上办事大厅</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="138"/>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="141"/>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="155"/>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="157"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="161"/>
        <source>Group by</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="171"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="171"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="183"/>
        <location filename="../console/area.py" line="310"/>
        <source>Click a number in the table to list its cases; double-click a case to open it</source>
        <translation>点击表中数字，列出其中的办件；双击办件打开</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="188"/>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="189"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="227"/>
        <source>Figures</source>
        <translation>办件统计</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="228"/>
        <source>Catalog readiness</source>
        <translation>目录完备情况</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="229"/>
        <source>Reporting quality</source>
        <translation>上报质量</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="230"/>
        <source>End of day</source>
        <translation>日结</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="231"/>
        <source>Key slots</source>
        <translation>工位密钥</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="289"/>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="332"/>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/area.py" line="334"/>
        <source>%1: %n group(s)</source>
        <translation>
            <numerusform>%1：%n 组</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../console/area.py" line="335"/>
        <source>%1: no cases</source>
        <translation>%1：没有办件</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="370"/>
        <source>The %1 for %2 – %3 was due %4 and has not been sent to the hall</source>
        <translation>%2 至 %3 的%1应于 %4 报送，尚未报送办事大厅</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="372"/>
        <source>The %1 for %2 – %3 is due today (%4): send it to the hall</source>
        <translation>%2 至 %3 的%1今天（%4）到期，请报送办事大厅</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="377"/>
        <source>The hall refused the %1 for %2 – %3: %4</source>
        <translation>办事大厅拒收了 %2 至 %3 的%1：%4</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="381"/>
        <source>Days not signed off: %1</source>
        <translation>尚未日结签核的日期：%1</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="402"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="402"/>
        <source>Excel (*.xlsx)</source>
        <translation>Excel 文件 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="403"/>
        <source>Export the summary</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="411"/>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="420"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="442"/>
        <source>Queuing the report for the hall…</source>
        <translation>正在将报告加入报送队列…</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="453"/>
        <source>The %1 for %2 – %3 is queued for the hall</source>
        <translation>%2 至 %3 的%1已加入报送办事大厅的队列</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="472"/>
        <source>“%1” is a rate: click one of the numbers to list cases</source>
        <translation>“%1”是比率，请点击其中的数字列出办件</translation>
    </message>
    <message>
        <location filename="../console/area.py" line="484"/>
        <source>%1 · %2: reading…</source>
        <translation>%1 · %2：正在读取…</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/area.py" line="504"/>
        <source>%1 · %2: %n case(s) (double-click to open)</source>
        <translation>
            <numerusform>%1 · %2：%n 件（双击打开）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConsoleTabs</name>
    <message>
        <location filename="../console/tabs.py" line="34"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="35"/>
        <source>Report rate</source>
        <translation>上报率</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="36"/>
        <source>Timeliness (12 h)</source>
        <translation>及时率（12小时）</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="37"/>
        <source>Completeness</source>
        <translation>完整率</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="38"/>
        <source>Taken in</source>
        <translation>收件</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="39"/>
        <source>Decided</source>
        <translation>决定</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="40"/>
        <source>Printed</source>
        <translation>出具文书</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="41"/>
        <source>Queued</source>
        <translation>上报中</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="42"/>
        <source>Acknowledged</source>
        <translation>大厅已确认</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="43"/>
        <source>Parked</source>
        <translation>上报搁置</translation>
    </message>
</context>
<context>
    <name>DecisionPanel</name>
    <message>
        <location filename="../intake/decision_panel.py" line="67"/>
        <source>&amp;Accept</source>
        <translation>受理(&amp;A)</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="69"/>
        <source>&amp;Completion notice (list everything missing)</source>
        <translation>一次性告知补正(&amp;C)（列出全部缺少的材料）</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="71"/>
        <source>&amp;Reject</source>
        <translation>不予受理(&amp;R)</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="73"/>
        <source>Accept and c&amp;onclude on the spot</source>
        <translation>受理并当场办结(&amp;O)</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="124"/>
        <source>Reason for rejection</source>
        <translation>不予受理理由</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="126"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="127"/>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="143"/>
        <source>Accept with deficiencies</source>
        <translation>容缺受理</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="145"/>
        <source>Applicant will bring them by</source>
        <translation>申请人承诺补交日期</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="152"/>
        <source>Decision</source>
        <translation>受理决定</translation>
    </message>
    <message numerus="yes">
        <location filename="../intake/decision_panel.py" line="257"/>
        <source>Missing materials (%n):</source>
        <translation>
            <numerusform>缺少的材料（%n 项）：</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="261"/>
        <source>All required materials are here.</source>
        <translation>必要材料已齐全。</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="273"/>
        <source>Required materials are missing: %1. This application cannot be accepted; choose the completion notice (Ctrl+2).</source>
        <translation>尚缺必要材料：%1。本申请不能受理，请选择一次性告知（补正）（Ctrl+2）。</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="277"/>
        <source>Materials marked to follow: the case cannot be concluded now.</source>
        <translation>有容缺后补的材料，不能当场办结。</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="279"/>
        <source>All required materials are here: no completion notice is needed.</source>
        <translation>材料已齐全，无需一次性告知，请直接受理。</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="287"/>
        <source>Computing the promised date…</source>
        <translation>正在计算承诺办结日期…</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="305"/>
        <source>At the latest %1, the case&apos;s promised date.</source>
        <translation>最迟为 %1（本件承诺办结日期）。</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="309"/>
        <source>Promised date if accepted today: %1</source>
        <translation>今日受理的承诺办结日期：%1</translation>
    </message>
    <message>
        <location filename="../intake/decision_panel.py" line="313"/>
        <source>calendar data does not cover this date; check it</source>
        <translation>节假日数据未覆盖该日期，请人工核对</translation>
    </message>
</context>
<context>
    <name>DepartmentChart</name>
    <message>
        <location filename="../console/charts.py" line="84"/>
        <source>Other departments</source>
        <translation>其他部门</translation>
    </message>
    <message>
        <location filename="../console/charts.py" line="96"/>
        <source>No departments to show</source>
        <translation>没有部门数据</translation>
    </message>
    <message>
        <location filename="../console/charts.py" line="98"/>
        <source>Received by department</source>
        <translation>各部门收件</translation>
    </message>
</context>
<context>
    <name>DraftsDialog</name>
    <message>
        <location filename="../intake/drafts_dialog.py" line="35"/>
        <source>Unfinished intakes</source>
        <translation>未完成的受理</translation>
    </message>
    <message>
        <location filename="../intake/drafts_dialog.py" line="49"/>
        <source>Resume (Enter)</source>
        <translation>继续（回车）</translation>
    </message>
    <message>
        <location filename="../intake/drafts_dialog.py" line="52"/>
        <source>Discard (Del)</source>
        <translation>放弃（Del）</translation>
    </message>
    <message>
        <location filename="../intake/drafts_dialog.py" line="55"/>
        <source>Later (Esc)</source>
        <translation>稍后（Esc）</translation>
    </message>
    <message>
        <location filename="../intake/drafts_dialog.py" line="61"/>
        <source>These applications were being entered when the program stopped:</source>
        <translation>程序上次退出时，以下申请尚在录入：</translation>
    </message>
</context>
<context>
    <name>EndOfDayTab</name>
    <message>
        <location filename="../console/tabs.py" line="289"/>
        <location filename="../console/tabs.py" line="292"/>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="291"/>
        <source>Signed off</source>
        <translation>签核</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="292"/>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="293"/>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="295"/>
        <source>Sign off the day…</source>
        <translation>日结签核…</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="305"/>
        <source>Cases that do not reconcile (double-click to open)</source>
        <translation>对不上的办件（双击打开）</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="334"/>
        <source>by %1</source>
        <translation>已由 %1 签核</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="335"/>
        <source>not signed</source>
        <translation>未签核</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="337"/>
        <source> (figures changed since)</source>
        <translation>（签核后数字有变动）</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/tabs.py" line="345"/>
        <source>End of day %1: %n station(s)</source>
        <translation>
            <numerusform>日结 %1：%n 个工位</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="348"/>
        <source>Earlier days not signed off: %1</source>
        <translation>此前尚未日结签核的日期：%1</translation>
    </message>
</context>
<context>
    <name>EvaluatorDialog</name>
    <message>
        <location filename="../evaluator.py" line="45"/>
        <source>Service evaluation</source>
        <translation>服务评价</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="46"/>
        <source>Please rate the service you have just received</source>
        <translation>请您对本次服务作出评价</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="49"/>
        <source>Case %1: %2</source>
        <translation>办件 %1：%2</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="71"/>
        <source>Your comments (required for &apos;dissatisfied&apos; and &apos;very dissatisfied&apos;)</source>
        <translation>评价意见（选择“不满意”“非常不满意”时请填写原因）</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="77"/>
        <source>Submit rating</source>
        <translation>提交评价</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="98"/>
        <source>Please tell us what went wrong; we will follow it up.</source>
        <translation>请告诉我们哪里做得不好，我们将核实整改并回复您。</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="112"/>
        <source>Please write the reason before submitting.</source>
        <translation>请先填写不满意的原因，再提交。</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="118"/>
        <source>Nobody is signed in at this window.</source>
        <translation>本窗口尚无工作人员登录，无法记录评价。</translation>
    </message>
    <message>
        <location filename="../evaluator.py" line="129"/>
        <source>Thank you for your rating: %1</source>
        <translation>感谢您的评价：%1</translation>
    </message>
</context>
<context>
    <name>GuiSession</name>
    <message>
        <location filename="../application.py" line="106"/>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../application.py" line="107"/>
        <source>This station&apos;s data key was created. The administrator&apos;s recovery key is shown only now: write it down or print it and keep it safe. It opens the station&apos;s cases when every staff password is lost.

%1</source>
        <translation>本工位的数据密钥已生成。下面是系统管理员的恢复密钥，只显示这一次：请抄写或打印后妥善保管。所有工作人员的密码都丢失时，凭它取回本工位的办件。

%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="202"/>
        <source>No activity: the window locks in %1 seconds.</source>
        <translation>长时间无操作：%1 秒后锁定窗口。</translation>
    </message>
    <message>
        <location filename="../application.py" line="220"/>
        <source>The local database could not be opened:
%1</source>
        <translation>本地数据库无法打开：
%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="222"/>
        <source>OneWindow</source>
        <translation>一窗受理</translation>
    </message>
    <message>
        <location filename="../application.py" line="259"/>
        <source>The local hall did not start: %1</source>
        <translation>本地网上大厅未能启动：%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="279"/>
        <source>The hall cannot be reached: the catalog shipped with the program is in use.</source>
        <translation>无法连接网上大厅：已启用随程序提供的事项目录。</translation>
    </message>
    <message>
        <location filename="../application.py" line="321"/>
        <source>Cases cannot be sent to the hall yet: %1</source>
        <translation>办件暂时无法上报网上办事大厅：%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="374"/>
        <source>Catalog is up to date.</source>
        <translation>事项目录已是最新。</translation>
    </message>
    <message>
        <location filename="../application.py" line="380"/>
        <source>Catalog sync failed; the cached catalog stays in use (%1)</source>
        <translation>目录同步失败，继续使用本地缓存目录（%1）</translation>
    </message>
</context>
<context>
    <name>IntakeArea</name>
    <message>
        <location filename="../intake/area.py" line="43"/>
        <source>Resume… (Ctrl+R)</source>
        <translation>继续录入…（Ctrl+R）</translation>
    </message>
    <message numerus="yes">
        <location filename="../intake/area.py" line="181"/>
        <source>%n unfinished intake(s) can be resumed.</source>
        <translation>
            <numerusform>有 %n 份未完成的受理可以继续。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IntakeView</name>
    <message>
        <location filename="../intake/intake_view.py" line="84"/>
        <source>Back (Alt+Left)</source>
        <translation>上一步（Alt+←）</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="89"/>
        <location filename="../intake/intake_view.py" line="167"/>
        <source>Discard draft</source>
        <translation>放弃本次受理</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="91"/>
        <source>E-certificates (F7)</source>
        <translation>电子证照（F7）</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="154"/>
        <source>Intake: %1</source>
        <translation>受理：%1</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="168"/>
        <source>Discard everything entered for this application?</source>
        <translation>放弃本次申请已录入的全部内容？</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="208"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="213"/>
        <source>Draft saved %1</source>
        <translation>草稿已保存 %1</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="219"/>
        <source>Draft NOT saved: %1</source>
        <translation>草稿未能保存：%1</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="225"/>
        <source>1 Applicant</source>
        <translation>1 申请人</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="226"/>
        <source>2 Materials</source>
        <translation>2 申请材料</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="227"/>
        <source>3 Decision</source>
        <translation>3 受理决定</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="228"/>
        <source>4 Done</source>
        <translation>4 完成</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="241"/>
        <source>Commit (Ctrl+Enter)</source>
        <translation>提交（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="243"/>
        <source>Next (Ctrl+Enter)</source>
        <translation>下一步（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="349"/>
        <source>Committing…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <location filename="../intake/intake_view.py" line="390"/>
        <source>The case was not saved: %1</source>
        <translation>办件未能保存：%1</translation>
    </message>
</context>
<context>
    <name>ItemDetail</name>
    <message>
        <location filename="../catalog/item_detail.py" line="51"/>
        <source>not specified</source>
        <translation>未规定</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="53"/>
        <source>working days</source>
        <translation>个工作日</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="54"/>
        <source>calendar days</source>
        <translation>个自然日</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="63"/>
        <source>conditional</source>
        <translation>视情形提交</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="67"/>
        <source>required</source>
        <translation>必要</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="69"/>
        <source>optional</source>
        <translation>非必要</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="75"/>
        <source>paper</source>
        <translation>纸质</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="76"/>
        <source>electronic</source>
        <translation>电子</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="77"/>
        <source>paper and electronic</source>
        <translation>纸质和电子</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="83"/>
        <source>applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="84"/>
        <source>government</source>
        <translation>政府部门核发</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="85"/>
        <source>intermediary</source>
        <translation>中介机构</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="108"/>
        <source>No materials listed</source>
        <translation>未列出申请材料</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="116"/>
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="117"/>
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="118"/>
        <source>Originals / copies</source>
        <translation>原件 / 复印件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="119"/>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="120"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="121"/>
        <source>E-certificate</source>
        <translation>电子证照</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="122"/>
        <source>Blank form</source>
        <translation>空白表格</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="161"/>
        <source>Free of charge</source>
        <translation>不收费</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="171"/>
        <source>Fee</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="172"/>
        <source>Standard</source>
        <translation>收费标准</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="173"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="174"/>
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="183"/>
        <source>This item is not active</source>
        <translation>该事项当前不可办理</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="187"/>
        <source>immediate case</source>
        <translation>即办件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="188"/>
        <source>promised case</source>
        <translation>承诺件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="194"/>
        <source>Implementing code</source>
        <translation>实施编码</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="197"/>
        <source>Handle item</source>
        <translation>业务办理项</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="199"/>
        <source>Handle item code</source>
        <translation>业务办理项编码</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="205"/>
        <source>Catalog code</source>
        <translation>基本编码</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="206"/>
        <source>Department</source>
        <translation>实施主体</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="208"/>
        <source>Item type</source>
        <translation>事项类型</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="211"/>
        <source>Case type</source>
        <translation>办件类型</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="213"/>
        <source>Legal time limit</source>
        <translation>法定办结时限</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="216"/>
        <source>Promised time limit</source>
        <translation>承诺办结时限</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="220"/>
        <source>Star level</source>
        <translation>星级</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="225"/>
        <source>Authentication level</source>
        <translation>认证级别</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="229"/>
        <source>Visits to the centre</source>
        <translation>到现场次数</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="231"/>
        <source>Online depth</source>
        <translation>网上办理深度</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="232"/>
        <source>Served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="233"/>
        <source>Version</source>
        <translation>事项版本</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="238"/>
        <source>Legal basis</source>
        <translation>设定依据</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="239"/>
        <source>Address</source>
        <translation>办理地点</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="240"/>
        <source>Office hours</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="241"/>
        <source>Contact</source>
        <translation>咨询方式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="242"/>
        <source>Complaints</source>
        <translation>监督投诉</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="246"/>
        <source>Conditions</source>
        <translation>受理条件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="247"/>
        <source>Materials</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="248"/>
        <source>Process</source>
        <translation>办理流程</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="249"/>
        <source>Fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="250"/>
        <source>Where and how</source>
        <translation>办理地点与方式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="274"/>
        <source>Type in the search box (Ctrl+F), choose an item with the arrow keys and press Enter.</source>
        <translation>在搜索框中输入（Ctrl+F），用方向键选择事项，按回车打开。</translation>
    </message>
</context>
<context>
    <name>KeySlotsTab</name>
    <message>
        <location filename="../console/key_slots.py" line="48"/>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="48"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="48"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="49"/>
        <source>Key slot</source>
        <translation>密钥槽</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="49"/>
        <source>Confirmed by the hall</source>
        <translation>大厅确认于</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="50"/>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="54"/>
        <source>Revoke the selected slot…</source>
        <translation>撤销所选账户的密钥槽…</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="58"/>
        <source>Issue a new recovery key…</source>
        <translation>重新签发恢复密钥…</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="61"/>
        <source>A staff member&apos;s password opens this station&apos;s data only through their key slot. Revoke the slot of someone who left: their password no longer opens anything here, and they can only come back if the hall still accepts them.</source>
        <translation>工作人员的密码只能通过其密钥槽解锁本工位的数据。工作人员离职或账户停用时，请撤销其密钥槽：其密码在本工位不能再解锁任何数据，只有办事大厅仍认可该账户时才能重新获得密钥槽。</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="101"/>
        <source>clerk</source>
        <translation>窗口人员</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="101"/>
        <source>supervisor</source>
        <translation>科室负责人</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="102"/>
        <source>administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="110"/>
        <source>opens the station</source>
        <translation>可解锁本工位</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="112"/>
        <source>revoked %1 by %2</source>
        <translation>已撤销（%1，%2）</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/key_slots.py" line="120"/>
        <source>%n account(s) can open this station with their password</source>
        <translation>
            <numerusform>%n 个账户可用密码解锁本工位</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="125"/>
        <source>Recovery key issued %1</source>
        <translation>恢复密钥签发于 %1</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="127"/>
        <source>This station has no recovery key</source>
        <translation>本工位没有恢复密钥</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="132"/>
        <source>the hall</source>
        <translation>办事大厅</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="147"/>
        <source>Revoke key slot</source>
        <translation>撤销密钥槽</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="148"/>
        <source>Revoke the key slot of %1 at this station? Their password will no longer open this station&apos;s data, offline or online, and their open sessions end. They can only come back if the hall still accepts the account.</source>
        <translation>撤销 %1 在本工位的密钥槽？撤销后其密码不能再解锁本工位的数据（离线、联网都不能），其正在进行的登录会话将结束。只有办事大厅仍认可该账户时，才能重新获得密钥槽。</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="155"/>
        <source>Revoke</source>
        <translation>确认撤销</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="174"/>
        <source>The key slot of %1 was revoked</source>
        <translation>已撤销 %1 的密钥槽</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <location filename="../lock_screen.py" line="35"/>
        <source>Locked: sign in again to go on.</source>
        <translation>窗口已锁定：请重新登录后继续。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="30"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="23"/>
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="24"/>
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="27"/>
        <source>E-certificates</source>
        <translation>电子证照</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="31"/>
        <source>Online pre-review</source>
        <translation>网上预审</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="34"/>
        <source>Console</source>
        <translation>统计台</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="57"/>
        <source>OneWindow — %1 · %2</source>
        <translation>一窗受理工作站 — %1 · %2</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="84"/>
        <source>&amp;Work</source>
        <translation>工作(&amp;W)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="92"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190"/>
        <source>Import catalog file</source>
        <translation>导入目录文件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="89"/>
        <source>&amp;Catalog</source>
        <translation>目录(&amp;C)</translation>
    </message>
</context>
<context>
    <name>MaterialsPage</name>
    <message>
        <location filename="../intake/materials_page.py" line="42"/>
        <source>Images, taken in as scanned pages (*.jpg *.jpeg *.png *.tif *.tiff)</source>
        <translation>图片，作为扫描页收取 (*.jpg *.jpeg *.png *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="92"/>
        <source>The condition applies to this application</source>
        <translation>本次申请属于该情形</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="94"/>
        <source>Attach electronic file… (Ctrl+E)</source>
        <translation>关联电子文件…（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="105"/>
        <source>Current material</source>
        <translation>当前材料</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="109"/>
        <source>Received as</source>
        <translation>收取形式</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="111"/>
        <source>Originals</source>
        <translation>原件份数</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="113"/>
        <source>Copies</source>
        <translation>复印件份数</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="195"/>
        <source>Needed if: %1</source>
        <translation>适用情形：%1</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="237"/>
        <source>Needed: %1 · received: %2 · missing: %3</source>
        <translation>应交 %1 项 · 已收 %2 项 · 缺 %3 项</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="273"/>
        <source>Import a file for %1</source>
        <translation>为“%1”导入文件</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="275"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="319"/>
        <source>electronic signature valid</source>
        <translation>电子签名有效</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="320"/>
        <source>electronic signature INVALID</source>
        <translation>电子签名无效</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="321"/>
        <source>signature intact, signer unknown</source>
        <translation>签名完整，签名人未知</translation>
    </message>
    <message>
        <location filename="../intake/materials_page.py" line="322"/>
        <source>not signed</source>
        <translation>未签名</translation>
    </message>
</context>
<context>
    <name>PageThumbnailsModel</name>
    <message>
        <location filename="../scan_pages_model.py" line="78"/>
        <source>Page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../scan_pages_model.py" line="82"/>
        <source>from a PDF file</source>
        <translation>来自 PDF 文件</translation>
    </message>
    <message>
        <location filename="../scan_pages_model.py" line="82"/>
        <source>scanned image</source>
        <translation>扫描图像</translation>
    </message>
    <message>
        <location filename="../scan_pages_model.py" line="84"/>
        <source>, turned %1°</source>
        <translation>，已旋转 %1°</translation>
    </message>
</context>
<context>
    <name>PrereviewArea</name>
    <message>
        <location filename="../prereview/area.py" line="126"/>
        <source>Show decided</source>
        <translation>显示已决定的</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="153"/>
        <source>Choose an application in the queue</source>
        <translation>请在左侧队列中选择一件申请</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="156"/>
        <source>E-certificates (F7)</source>
        <translation>电子证照 (F7)</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="169"/>
        <source>What the applicant reads: what is wrong and what to supply</source>
        <translation>申请人可见：哪里不符合、需要补交什么</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="173"/>
        <source>Legal basis (required to reject)</source>
        <translation>法律依据（不予受理必填）</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="174"/>
        <source>Pass pre-review</source>
        <translation>预审通过</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="175"/>
        <source>Return for completion</source>
        <translation>退回补正</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="176"/>
        <source>Reject</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="184"/>
        <source>Decision</source>
        <translation>预审决定</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="186"/>
        <source>Materials to supply (return)</source>
        <translation>须补正的材料（退回时勾选）</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="187"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="188"/>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/area.py" line="260"/>
        <source>%n application(s) waiting for pre-review</source>
        <translation>
            <numerusform>%n 件网上申请待预审</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/area.py" line="261"/>
        <source>%n due today</source>
        <translation>
            <numerusform>今日到期 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/area.py" line="262"/>
        <source>%n overdue</source>
        <translation>
            <numerusform>超期 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="273"/>
        <source>The queue could not be read: %1</source>
        <translation>无法读取预审队列：%1</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="339"/>
        <source>Recording the decision…</source>
        <translation>正在记录预审决定…</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="347"/>
        <source>%1: %2 — queued for the hall</source>
        <translation>%1：%2，已排队上报大厅</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="350"/>
        <source>case number %1</source>
        <translation>办件编号 %1</translation>
    </message>
</context>
<context>
    <name>PrereviewDetail</name>
    <message>
        <location filename="../prereview/area.py" line="56"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="57"/>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="58"/>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="59"/>
        <source>Due</source>
        <translation>预审期限</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="60"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="61"/>
        <source>Agent</source>
        <translation>代理人</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="62"/>
        <source>Materials</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="63"/>
        <source>Checks</source>
        <translation>核验</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="64"/>
        <source>not downloaded yet</source>
        <translation>尚未下载</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="65"/>
        <source>not uploaded</source>
        <translation>未上传</translation>
    </message>
    <message>
        <location filename="../prereview/area.py" line="66"/>
        <source>signed by the station (SM2)</source>
        <translation>已由本工位电子签名（SM2）</translation>
    </message>
</context>
<context>
    <name>PrereviewQueueModel</name>
    <message>
        <location filename="../prereview/queue_model.py" line="31"/>
        <source>Due</source>
        <translation>预审期限</translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="32"/>
        <source>Application</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="33"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="34"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="35"/>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="36"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="37"/>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/queue_model.py" line="51"/>
        <source>overdue by %n working day(s)</source>
        <translation>
            <numerusform>已超期 %n 个工作日</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="54"/>
        <source>due today</source>
        <translation>今日到期</translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/queue_model.py" line="55"/>
        <source>%n working day(s) left</source>
        <translation>
            <numerusform>剩 %n 个工作日</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/queue_model.py" line="79"/>
        <source>%n file(s) not downloaded</source>
        <translation>
            <numerusform>%n 个文件未下载</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../prereview/queue_model.py" line="97"/>
        <source>No holiday data for that year yet: counted Monday to Friday</source>
        <translation>该年节假日数据尚未录入，暂按周一至周五计算</translation>
    </message>
</context>
<context>
    <name>PrereviewStatusWidget</name>
    <message>
        <location filename="../prereview/status.py" line="52"/>
        <source>Pre-review: %1</source>
        <translation>网上预审 %1 件</translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/status.py" line="55"/>
        <source>%n due today</source>
        <translation>
            <numerusform>今日到期 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/status.py" line="57"/>
        <source>%n overdue</source>
        <translation>
            <numerusform>超期 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/status.py" line="59"/>
        <source>%n decision(s) refused by the hall</source>
        <translation>
            <numerusform>%n 件预审决定被大厅拒收（请查看）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../prereview/status.py" line="66"/>
        <source>%n decision(s) not yet confirmed by the hall</source>
        <translation>
            <numerusform>%n 件预审决定尚待大厅确认</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrintDispatcher</name>
    <message>
        <location filename="../print_dispatch.py" line="49"/>
        <source>This printer does not exist on this computer; check the print settings</source>
        <translation>本机没有这台打印机，请检查打印设置</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="51"/>
        <source>Printing cancelled; the document is archived and can be reprinted from the case view.</source>
        <translation>已取消打印；文书已存档，可在办件详情中补打。</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="54"/>
        <source>Cannot produce the document: %1</source>
        <translation>无法生成文书：%1</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="55"/>
        <source>Print %1</source>
        <translation>打印%1</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="56"/>
        <source>Sent to printer %1 (job %2)</source>
        <translation>已发送到打印机 %1（作业 %2）</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="57"/>
        <source>Sent to printer %1</source>
        <translation>已发送到打印机 %1</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="58"/>
        <source>Printing failed (%1): %2. The PDF is archived and can be reprinted from the case view.</source>
        <translation>打印失败（%1）：%2。文书 PDF 已存档，可在办件详情中补打。</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="61"/>
        <source>printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="62"/>
        <source>pdftoppm (poppler-utils) is missing; cannot print to this printer</source>
        <translation>缺少 pdftoppm（poppler-utils），无法打印到此打印机</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="64"/>
        <source>Could not turn the document into pages: %1</source>
        <translation>文书转换为打印页面失败：%1</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="65"/>
        <source>The document has no pages</source>
        <translation>文书没有页面</translation>
    </message>
    <message>
        <location filename="../print_dispatch.py" line="66"/>
        <source>The printer cannot start the job (offline, out of paper or a driver error)</source>
        <translation>打印机无法开始打印作业（脱机、缺纸或驱动错误）</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <location filename="../print_preview.py" line="47"/>
        <source>%1 page(s)</source>
        <translation>%1 页</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="50"/>
        <source>Print on %1 (Enter)</source>
        <translation>在 %1 上打印（回车）</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="51"/>
        <source>Print… (Enter)</source>
        <translation>打印…（回车）</translation>
    </message>
    <message>
        <location filename="../print_preview.py" line="56"/>
        <source>Choose printer…</source>
        <translation>选择打印机…</translation>
    </message>
</context>
<context>
    <name>QualityModel</name>
    <message>
        <location filename="../catalog/quality_model.py" line="29"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../catalog/quality_model.py" line="30"/>
        <source>Department</source>
        <translation>实施主体</translation>
    </message>
    <message>
        <location filename="../catalog/quality_model.py" line="31"/>
        <source>Problems</source>
        <translation>问题数</translation>
    </message>
    <message>
        <location filename="../catalog/quality_model.py" line="32"/>
        <source>What is missing</source>
        <translation>缺少的要素</translation>
    </message>
</context>
<context>
    <name>QualityTab</name>
    <message>
        <location filename="../console/tabs.py" line="214"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="214"/>
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="214"/>
        <source>Report rate</source>
        <translation>上报率</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="215"/>
        <source>Timeliness (12 h)</source>
        <translation>及时率（12小时）</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="215"/>
        <source>Completeness</source>
        <translation>完整率</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="215"/>
        <source>Misses</source>
        <translation>未达标办件</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="217"/>
        <source>Choose a department to list the cases that miss an indicator; double-click a case to open it</source>
        <translation>选择部门，列出未达标的办件及原因；双击办件打开</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="221"/>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="221"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="222"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/tabs.py" line="255"/>
        <source>%n department(s); the target of each rate is 100 %</source>
        <translation>
            <numerusform>%n 个部门；各项比率的目标均为 100%</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../console/tabs.py" line="267"/>
        <source>%1: %n miss(es)</source>
        <translation>
            <numerusform>%1：%n 项未达标</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReadinessTab</name>
    <message>
        <location filename="../console/tabs.py" line="139"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="139"/>
        <source>Items</source>
        <translation>事项数</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="140"/>
        <source>%1 star</source>
        <translation>%1星</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="140"/>
        <source>No star</source>
        <translation>未标星级</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="141"/>
        <source>Online depth (deepest)</source>
        <translation>网上办理深度（最深）</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="141"/>
        <source>3 stars or more</source>
        <translation>三星及以上</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="142"/>
        <source>4 stars or more</source>
        <translation>四星及以上</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="142"/>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="142"/>
        <source>Missing fields</source>
        <translation>缺标准要素</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="144"/>
        <source>Choose a department to list its items that miss standard fields</source>
        <translation>选择部门，列出其缺少标准要素的事项</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="147"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="147"/>
        <source>Task code</source>
        <translation>实施编码</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="148"/>
        <source>What is missing</source>
        <translation>缺少的要素</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="176"/>
        <source> (street office)</source>
        <translation>（街道）</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/tabs.py" line="189"/>
        <source>%1 of %n department(s) meet both targets</source>
        <translation>
            <numerusform>%n 个部门中 %1 个两项均达标</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../console/tabs.py" line="200"/>
        <source>%1: %n item(s) missing standard fields</source>
        <translation>
            <numerusform>%1：%n 项事项缺标准要素</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReauthDialog</name>
    <message>
        <location filename="../console/tabs.py" line="403"/>
        <source>Sign off the day</source>
        <translation>日结签核</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="406"/>
        <source>Signing off %1 as %2. Type your password again to confirm it is you.</source>
        <translation>以 %2 的身份签核 %1 的日结。请再次输入密码，确认是您本人。</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="418"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../console/tabs.py" line="420"/>
        <source>Sign off</source>
        <translation>签核</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <location filename="../console/key_slots.py" line="227"/>
        <source>New recovery key</source>
        <translation>重新签发恢复密钥</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="231"/>
        <source>Issuing a new recovery key as %1: the old key stops working at once. Type your password again to confirm it is you.</source>
        <translation>以 %1 的身份签发新的恢复密钥：旧的恢复密钥将立即失效。请再次输入密码，确认是您本人。</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="252"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="254"/>
        <source>Issue new key</source>
        <translation>签发新密钥</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="287"/>
        <source>The new recovery key is shown only now: write it down or print it and keep it safe, away from this PC. The old key no longer opens the station.</source>
        <translation>新的恢复密钥只显示这一次：请抄写或打印后妥善保管，不要放在这台电脑旁。旧的恢复密钥已不能解锁本工位。</translation>
    </message>
    <message>
        <location filename="../console/key_slots.py" line="294"/>
        <source>I have written it down</source>
        <translation>我已抄写保存</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../intake/result_page.py" line="35"/>
        <source>Ask the applicant to rate (Ctrl+E)</source>
        <translation>请申请人评价（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../intake/result_page.py" line="39"/>
        <source>Next applicant (Enter)</source>
        <translation>下一位（回车）</translation>
    </message>
    <message>
        <location filename="../intake/result_page.py" line="44"/>
        <source>The case has been saved.</source>
        <translation>办件已保存。</translation>
    </message>
    <message>
        <location filename="../intake/result_page.py" line="59"/>
        <source>Case number: %1</source>
        <translation>办件编号：%1</translation>
    </message>
    <message>
        <location filename="../intake/result_page.py" line="60"/>
        <source>State: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <location filename="../intake/result_page.py" line="64"/>
        <source>Promised date: %1</source>
        <translation>承诺办结日期：%1</translation>
    </message>
    <message>
        <location filename="../intake/result_page.py" line="66"/>
        <source>calendar data does not cover this date; check it</source>
        <translation>节假日数据未覆盖该日期，请人工核对</translation>
    </message>
</context>
<context>
    <name>ScanPanel</name>
    <message>
        <location filename="../scan_panel.py" line="132"/>
        <source>Flatbed</source>
        <translation>平板</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="133"/>
        <source>Document feeder</source>
        <translation>自动进纸器</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="134"/>
        <source>Colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="147"/>
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="149"/>
        <source>Import files…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="152"/>
        <source>Move left</source>
        <translation>左移</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="155"/>
        <source>Move right</source>
        <translation>右移</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="158"/>
        <source>Rotate</source>
        <translation>旋转</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="161"/>
        <source>Delete page</source>
        <translation>删除页面</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="167"/>
        <source>Rescan page</source>
        <translation>重新扫描该页</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="268"/>
        <source>Import scanned files</source>
        <translation>导入扫描文件</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="270"/>
        <source>Scans and PDF files (%1)</source>
        <translation>扫描件和 PDF 文件 (%1)</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="370"/>
        <source>Scanning failed: %1</source>
        <translation>扫描失败：%1</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="474"/>
        <source>The PDF could not be made: %1</source>
        <translation>无法生成 PDF：%1</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="491"/>
        <source>No pages · limit %1</source>
        <translation>尚无页面 · 上限 %1</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="493"/>
        <source>%1 pages · PDF size being calculated · limit %2</source>
        <translation>%1 页 · 正在计算 PDF 大小 · 上限 %2</translation>
    </message>
    <message>
        <location filename="../scan_panel.py" line="496"/>
        <source>%1 pages · PDF %2 MB of %3</source>
        <translation>%1 页 · PDF %2 MB / 上限 %3</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../shortcuts_dialog.py" line="14"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键一览</translation>
    </message>
    <message>
        <location filename="../shortcuts_dialog.py" line="17"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../shortcuts_dialog.py" line="17"/>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <location filename="../shortcuts_dialog.py" line="17"/>
        <source>Where</source>
        <translation>适用位置</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../sign_in_dialog.py" line="33"/>
        <source>Staff sign-in</source>
        <translation>工作人员登录</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="38"/>
        <source>Sign in with your staff account to start work.</source>
        <translation>请用工作人员账户登录后开始办理。</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="39"/>
        <source>The window was locked after being idle. Sign in again to go on; another clerk signing in takes over the window.</source>
        <translation>窗口因长时间无操作已锁定。请重新登录以继续；其他工作人员登录即接替本窗口。</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="41"/>
        <source>Switch clerk: the next clerk signs in. Work in progress stays open.</source>
        <translation>切换人员：由下一位工作人员登录，正在办理的事项保持不变。</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="56"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="57"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="60"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="64"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="79"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../sign_in_dialog.py" line="83"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>StaffSession</name>
    <message>
        <location filename="../staff_session.py" line="121"/>
        <source>Sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
</context>
<context>
    <name>StationUnlock</name>
    <message>
        <location filename="../station_unlock.py" line="38"/>
        <source>Sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status_bar.py" line="42"/>
        <source>never updated</source>
        <translation>从未更新</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="45"/>
        <source>updated just now</source>
        <translation>刚刚更新</translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="47"/>
        <source>updated %n minute(s) ago</source>
        <translation>
            <numerusform>%n 分钟前更新</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="49"/>
        <source>updated %n hour(s) ago</source>
        <translation>
            <numerusform>%n 小时前更新</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="50"/>
        <source>updated %n day(s) ago</source>
        <translation>
            <numerusform>%n 天前更新</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="56"/>
        <source>No catalog yet</source>
        <translation>尚无事项目录</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="59"/>
        <source>Catalog version %1</source>
        <translation>目录版本 %1</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="69"/>
        <source>Checking hall…</source>
        <translation>正在检测网上大厅…</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="73"/>
        <source>Hall reachable, not signed in: cases wait here</source>
        <translation>大厅可连接，但未登录：办件暂存本机</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="74"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="71"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>SyncQueueModel</name>
    <message>
        <location filename="../sync_view.py" line="82"/>
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="83"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="84"/>
        <source>Decision</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="85"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="86"/>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="87"/>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="88"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="91"/>
        <source>Received</source>
        <translation>收件</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="92"/>
        <source>Completion notice</source>
        <translation>一次性告知</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="93"/>
        <source>Accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="94"/>
        <source>Rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="95"/>
        <source>Concluded</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="105"/>
        <source>under a minute</source>
        <translation>不到 1 分钟</translation>
    </message>
    <message numerus="yes">
        <location filename="../sync_view.py" line="107"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="109"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <location filename="../sync_view.py" line="232"/>
        <source>All cases reported to the hall</source>
        <translation>全部办件已上报大厅</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="234"/>
        <source>Unsent: %1 (parked: %2)</source>
        <translation>待上报 %1（搁置 %2）</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="239"/>
        <source>oldest waiting %1</source>
        <translation>最早已等待 %1</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="273"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="275"/>
        <source>Park</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="277"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../sync_view.py" line="340"/>
        <source>The queue could not be read: %1</source>
        <translation>无法读取上报队列：%1</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../console/charts.py" line="28"/>
        <source>%1 received %2</source>
        <translation>%1 收件 %2</translation>
    </message>
    <message>
        <location filename="../console/charts.py" line="41"/>
        <source>No trend to show</source>
        <translation>没有趋势数据</translation>
    </message>
    <message>
        <location filename="../console/charts.py" line="45"/>
        <source>Received per day (highest %1)</source>
        <translation>每日收件（最高 %1 件）</translation>
    </message>
</context>
</TS>
