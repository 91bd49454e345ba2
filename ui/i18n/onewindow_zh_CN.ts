<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <location filename="../actions.py" line="27" />
        <source>Search catalog</source>
        <translation>搜索事项</translation>
    </message>
    <message>
        <location filename="../actions.py" line="29" />
        <source>Jump to the catalog search box</source>
        <translation>转到事项搜索框</translation>
    </message>
    <message>
        <location filename="../actions.py" line="33" />
        <source>New intake</source>
        <translation>新建受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="35" />
        <source>Start an intake for the item shown</source>
        <translation>为当前事项新建受理</translation>
    </message>
    <message>
        <location filename="../actions.py" line="39" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../actions.py" line="41" />
        <source>Refresh the catalog and send queued cases now</source>
        <translation>立即更新事项目录并上报待发送办件</translation>
    </message>
    <message>
        <location filename="../actions.py" line="45" />
        <source>Catalog quality…</source>
        <translation>目录质量检查…</translation>
    </message>
    <message>
        <location filename="../actions.py" line="47" />
        <source>Items that miss required standard fields</source>
        <translation>列出缺少标准要素的事项</translation>
    </message>
    <message>
        <location filename="../actions.py" line="49" />
        <source>Next area</source>
        <translation>下一个区域</translation>
    </message>
    <message>
        <location filename="../actions.py" line="50" />
        <source>Previous area</source>
        <translation>上一个区域</translation>
    </message>
    <message>
        <location filename="../actions.py" line="51" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <location filename="../case_detail.py" line="20" />
        <source>original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="21" />
        <source>copy</source>
        <translation>复印件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="22" />
        <source>electronic file</source>
        <translation>电子文件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="23" />
        <source>scanned</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="24" />
        <source>e-certificate</source>
        <translation>电子证照</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="25" />
        <source>missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="26" />
        <source>deficiency (to follow)</source>
        <translation>容缺（后补）</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="27" />
        <source>not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="80" />
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="81" />
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="82" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="83" />
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="84" />
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="85" />
        <source>Received</source>
        <translation>收件时间</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="87" />
        <source>Promised date</source>
        <translation>承诺办结日期</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="92" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="94" />
        <source>Legal basis</source>
        <translation>设定依据</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="99" />
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="100" />
        <source>Received as</source>
        <translation>收取形式</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="101" />
        <source>Originals / copies</source>
        <translation>原件 / 复印件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="102" />
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="103" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="116" />
        <source>Materials</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="117" />
        <source>History</source>
        <translation>办理记录</translation>
    </message>
</context>
<context>
    <name>CaseDetailDialog</name>
    <message>
        <location filename="../case_detail.py" line="137" />
        <source>Case %1</source>
        <translation>办件 %1</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="141" />
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="152" />
        <source>Case %1 does not exist.</source>
        <translation>办件 %1 不存在。</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="157" />
        <source>The case could not be read: %1</source>
        <translation>办件无法读取：%1</translation>
    </message>
</context>
<context>
    <name>CaseStates</name>
    <message>
        <location filename="../case_states.py" line="8" />
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="9" />
        <source>received</source>
        <translation>已收件</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="10" />
        <source>accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="11" />
        <source>in process</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="12" />
        <source>completion notice</source>
        <translation>待补正</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="13" />
        <source>rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="14" />
        <source>concluded</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../case_states.py" line="15" />
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
</context>
<context>
    <name>CasesModel</name>
    <message>
        <location filename="../cases_model.py" line="34" />
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="35" />
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="36" />
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="37" />
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="38" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="39" />
        <source>Received</source>
        <translation>收件时间</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="40" />
        <source>Promised date</source>
        <translation>承诺办结日期</translation>
    </message>
    <message>
        <location filename="../cases_model.py" line="153" />
        <source> (calendar not confirmed)</source>
        <translation>（日历未确认）</translation>
    </message>
</context>
<context>
    <name>CasesView</name>
    <message>
        <location filename="../cases_view.py" line="40" />
        <source>Case number, applicant name or ID number</source>
        <translation>办件编号、申请人姓名或证件号码</translation>
    </message>
    <message>
        <location filename="../cases_view.py" line="61" />
        <source>Open case (Enter)</source>
        <translation>打开办件（回车）</translation>
    </message>
    <message numerus="yes">
        <location filename="../cases_view.py" line="108" />
        <source>%n case(s) match</source>
        <translation><numerusform>找到 %n 件</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../cases_view.py" line="110" />
        <source>%n case(s) taken in today</source>
        <translation><numerusform>今日收件 %n 件</numerusform></translation>
    </message>
    <message>
        <location filename="../cases_view.py" line="115" />
        <source>The cases could not be read: %1</source>
        <translation>办件列表无法读取：%1</translation>
    </message>
</context>
<context>
    <name>CatalogBrowser</name>
    <message>
        <location filename="../catalog/browser.py" line="56" />
        <source>Item name, code or pinyin initials (Ctrl+F)</source>
        <translation>事项名称、编码或拼音首字母（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="60" />
        <source>Loading the catalog…</source>
        <translation>正在加载事项目录…</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="83" />
        <source>Take in an application for this item (Ctrl+N)</source>
        <translation>受理此事项（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="128" />
        <source>No item matches “%1”.</source>
        <translation>没有与“%1”匹配的事项。</translation>
    </message>
    <message numerus="yes">
        <location filename="../catalog/browser.py" line="130" />
        <source>%n item(s) found</source>
        <translation><numerusform>找到 %n 个事项</numerusform></translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="136" />
        <source>Type to search the catalog.</source>
        <translation>输入名称、编码或拼音首字母搜索事项。</translation>
    </message>
    <message>
        <location filename="../catalog/browser.py" line="142" />
        <source>The catalog could not be loaded: %1</source>
        <translation>事项目录无法加载：%1</translation>
    </message>
</context>
<context>
    <name>CatalogHitsModel</name>
    <message>
        <location filename="../catalog/hits_model.py" line="27" />
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="28" />
        <source>Catalog code</source>
        <translation>基本编码</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="29" />
        <source>Department</source>
        <translation>实施主体</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="30" />
        <source>Match</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="35" />
        <location filename="../catalog/hits_model.py" line="36" />
        <source>code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="37" />
        <source>code prefix</source>
        <translation>编码前缀</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="38" />
        <location filename="../catalog/hits_model.py" line="42" />
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="39" />
        <location filename="../catalog/hits_model.py" line="40" />
        <source>pinyin initials</source>
        <translation>拼音首字母</translation>
    </message>
    <message>
        <location filename="../catalog/hits_model.py" line="41" />
        <source>pinyin</source>
        <translation>全拼</translation>
    </message>
</context>
<context>
    <name>GuiSession</name>
    <message>
        <location filename="../application.py" line="73" />
        <source>The local database could not be opened:
%1</source>
        <translation>本地数据库无法打开：
%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="75" />
        <source>OneWindow</source>
        <translation>一窗受理</translation>
    </message>
    <message>
        <location filename="../application.py" line="110" />
        <source>The local hall did not start: %1</source>
        <translation>本地网上大厅未能启动：%1</translation>
    </message>
    <message>
        <location filename="../application.py" line="141" />
        <source>Catalog is up to date.</source>
        <translation>事项目录已是最新。</translation>
    </message>
    <message>
        <location filename="../application.py" line="147" />
        <source>Catalog sync failed; the cached catalog stays in use (%1)</source>
        <translation>目录同步失败，继续使用本地缓存目录（%1）</translation>
    </message>
</context>
<context>
    <name>ItemDetail</name>
    <message>
        <location filename="../catalog/item_detail.py" line="66" />
        <source>not specified</source>
        <translation>未规定</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="68" />
        <source>working days</source>
        <translation>个工作日</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="69" />
        <source>calendar days</source>
        <translation>个自然日</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="78" />
        <source>conditional</source>
        <translation>视情形提交</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="82" />
        <source>required</source>
        <translation>必要</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="84" />
        <source>optional</source>
        <translation>非必要</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="90" />
        <source>paper</source>
        <translation>纸质</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="91" />
        <source>electronic</source>
        <translation>电子</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="92" />
        <source>paper and electronic</source>
        <translation>纸质和电子</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="98" />
        <source>applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="99" />
        <source>government</source>
        <translation>政府部门核发</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="100" />
        <source>intermediary</source>
        <translation>中介机构</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="123" />
        <source>No materials listed</source>
        <translation>未列出申请材料</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="130" />
        <source>Material</source>
        <translation>材料名称</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="131" />
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="132" />
        <source>Originals / copies</source>
        <translation>原件 / 复印件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="133" />
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="134" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="135" />
        <source>E-certificate</source>
        <translation>电子证照</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="136" />
        <source>Blank form</source>
        <translation>空白表格</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="173" />
        <source>Free of charge</source>
        <translation>不收费</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="183" />
        <source>Fee</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="184" />
        <source>Standard</source>
        <translation>收费标准</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="185" />
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="186" />
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="195" />
        <source>This item is not active</source>
        <translation>该事项当前不可办理</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="199" />
        <source>immediate case</source>
        <translation>即办件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="200" />
        <source>promised case</source>
        <translation>承诺件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="206" />
        <source>Implementing code</source>
        <translation>实施编码</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="207" />
        <source>Catalog code</source>
        <translation>基本编码</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="208" />
        <source>Department</source>
        <translation>实施主体</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="210" />
        <source>Item type</source>
        <translation>事项类型</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="213" />
        <source>Case type</source>
        <translation>办件类型</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="215" />
        <source>Legal time limit</source>
        <translation>法定办结时限</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="218" />
        <source>Promised time limit</source>
        <translation>承诺办结时限</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="222" />
        <source>Star level</source>
        <translation>星级</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="227" />
        <source>Authentication level</source>
        <translation>认证级别</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="231" />
        <source>Visits to the centre</source>
        <translation>到现场次数</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="233" />
        <source>Online depth</source>
        <translation>网上办理深度</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="234" />
        <source>Served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="235" />
        <source>Version</source>
        <translation>事项版本</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="240" />
        <source>Legal basis</source>
        <translation>设定依据</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="241" />
        <source>Address</source>
        <translation>办理地点</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="242" />
        <source>Office hours</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="243" />
        <source>Contact</source>
        <translation>咨询方式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="244" />
        <source>Complaints</source>
        <translation>监督投诉</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="248" />
        <source>Conditions</source>
        <translation>受理条件</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="249" />
        <source>Materials</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="250" />
        <source>Process</source>
        <translation>办理流程</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="251" />
        <source>Fees</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="252" />
        <source>Where and how</source>
        <translation>办理地点与方式</translation>
    </message>
    <message>
        <location filename="../catalog/item_detail.py" line="274" />
        <source>Type in the search box (Ctrl+F), choose an item with the arrow keys and press Enter.</source>
        <translation>在搜索框中输入（Ctrl+F），用方向键选择事项，按回车打开。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="32" />
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="33" />
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="54" />
        <source>OneWindow — %1 · %2</source>
        <translation>一窗受理工作站 — %1 · %2</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="82" />
        <source>&amp;Work</source>
        <translation>工作(&amp;W)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="87" />
        <source>&amp;Catalog</source>
        <translation>目录(&amp;C)</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status_bar.py" line="40" />
        <source>never updated</source>
        <translation>从未更新</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="43" />
        <source>updated just now</source>
        <translation>刚刚更新</translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="45" />
        <source>updated %n minute(s) ago</source>
        <translation><numerusform>%n 分钟前更新</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="47" />
        <source>updated %n hour(s) ago</source>
        <translation><numerusform>%n 小时前更新</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../status_bar.py" line="48" />
        <source>updated %n day(s) ago</source>
        <translation><numerusform>%n 天前更新</numerusform></translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="54" />
        <source>No catalog yet</source>
        <translation>尚无事项目录</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="57" />
        <source>Catalog version %1</source>
        <translation>目录版本 %1</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="65" />
        <source>Checking hall…</source>
        <translation>正在检测网上大厅…</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="66" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../status_bar.py" line="66" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
</TS>